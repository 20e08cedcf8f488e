"use server";

import { redirect } from "next/navigation";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { backWhenSessionFull } from "../../session-full";

const PAGE = "/how-it-works/logout";

/** Gives the demo something to forget. */
export const fillSession = backWhenSessionFull(
  sessionAction(async () => {
    const session = await getSession();
    await session.update({ "demo.petName": "Biscuit", "demo.favouriteWalk": "the beach at dusk" });
    redirect(PAGE);
  }),
  () => PAGE,
);
