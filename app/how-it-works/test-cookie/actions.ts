"use server";

import { redirect } from "next/navigation";
import { getSession, sessionAction } from "@/lib/sessions/next";
import { backWhenSessionFull } from "../../session-full";

const PAGE = "/how-it-works/test-cookie";

/** Request one: ask the browser to keep a session cookie (Django's `set_test_cookie`). */
export const setTestCookie = backWhenSessionFull(
  sessionAction(async () => {
    await (await getSession()).setTestCookie();
    redirect(`${PAGE}?step=check`);
  }),
  () => PAGE,
);

/**
 * Request two: did the cookie come back? Only a second request can tell, as
 * Django's login view knows. When it worked, the test value is tidied away
 * (`delete_test_cookie`); the session keeps its key, as in Django.
 */
export const checkTestCookie = sessionAction(async () => {
  const session = await getSession();
  if (!(await session.testCookieWorked())) redirect(`${PAGE}?result=blocked`);
  await session.deleteTestCookie();
  redirect(`${PAGE}?result=worked`);
});
