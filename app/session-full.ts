import { redirect } from "next/navigation";
import { SessionTooLarge } from "@/lib/sessions";
import { tooLargeProblem } from "@/lib/memorials/notice";

/**
 * `path` with the problem that explains `error` (a full cookie, or the
 * session's size cap), which `<Notice>` explains there.
 */
export function sessionFullAddress(path: string, error: SessionTooLarge): string {
  return `${path}?problem=${tooLargeProblem(error)}`;
}

/**
 * A committed action (`sessionAction`) whose change may not fit: in a cookie
 * engine's cookie, or under `SESSION_MAX_SIZE` on any engine. When it does
 * not, nothing was saved and the previous cookie or record stays: the
 * visitor lands back on the page `back` names, which says what to do,
 * instead of on an error page.
 */
export function backWhenSessionFull<Args extends unknown[]>(
  committed: (...args: Args) => Promise<unknown>,
  back: (...args: NoInfer<Args>) => string,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await committed(...args);
    } catch (error) {
      if (error instanceof SessionTooLarge) redirect(sessionFullAddress(back(...args), error));
      throw error;
    }
  };
}
