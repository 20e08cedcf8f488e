"use server";

import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { editMemorial, setPublished } from "@/lib/accounts/memorials";
import { currentUser } from "@/lib/accounts/request";
import { db } from "@/lib/db/client";
import { LIMITS } from "@/lib/memorials/drafts";
import { sessionAction } from "@/lib/sessions/next";

const editSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameLength),
  species: z.string().trim().max(LIMITS.speciesLength),
  epitaph: z.string().trim().max(LIMITS.epitaphLength),
});

/** The owner and the memorial id of a form, or the visitor is sent to log in. */
async function ownerAndId(form: FormData) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const id = Number(form.get("id"));
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return { ownerId: user.id, id };
}

export const editMemorialAction = sessionAction(async (form: FormData) => {
  const { ownerId, id } = await ownerAndId(form);
  const parsed = editSchema.safeParse(Object.fromEntries(form));
  // The form's own limits (required, maxLength) stop this in a browser; anything else is refused.
  if (!parsed.success) redirect(`/account/memorials/${id}?invalid=1`);
  if (!(await editMemorial(db(), ownerId, id, parsed.data))) notFound();
  redirect(`/account/memorials/${id}?saved=1`);
});

export const setPublishedAction = sessionAction(async (form: FormData) => {
  const { ownerId, id } = await ownerAndId(form);
  const published = form.get("published") === "true";
  if (!(await setPublished(db(), ownerId, id, published))) notFound();
  redirect(`/account/memorials/${id}`);
});
