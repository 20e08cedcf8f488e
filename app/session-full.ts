import { redirect } from "next/navigation";
import { CookieTooLarge } from "@/lib/sessions";
import type { Problem } from "@/lib/memorials/notice";

const FULL: Problem = "session-full";

/** `path` with the session-full problem, which `<Notice>` explains there. */
export function sessionFullAddress(path: string): string {
  return `${path}?problem=${FULL}`;
}

/**
 * A committed action (`sessionAction`) whose change may not fit in a cookie
 * engine's cookie. When it does not, nothing was saved and the previous
 * cookie stays: the visitor lands back on the page `back` names, which says
 * what to do, instead of on an error page.
 */
export function backWhenSessionFull<Args extends unknown[]>(
  committed: (...args: Args) => Promise<unknown>,
  back: (...args: NoInfer<Args>) => string,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await committed(...args);
    } catch (error) {
      if (error instanceof CookieTooLarge) redirect(sessionFullAddress(back(...args)));
      throw error;
    }
  };
}
