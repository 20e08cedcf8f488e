/**
 * Sessions in the Next.js App Router: the only part of lib/sessions that
 * imports `next/*`. See "Using sessions in Next.js" in ../README.md.
 */
export { afterCommit, getSession } from "./session";
export { withSession } from "./route-handler";
export { sessionAction } from "./server-action";
export { refreshSession } from "./proxy";
export { varyOnSessionCookie } from "./vary-on-cookie";
export { sessionUnavailable } from "./unavailable";
export { commitSession } from "./commit";
export type { Commit } from "./commit";
