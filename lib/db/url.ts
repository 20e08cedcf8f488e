/**
 * Which database a `DATABASE_URL` points at.
 *
 * `file:` URLs are SQLite (the embedded default); `postgres://` and
 * `postgresql://` URLs are PostgreSQL. Anything else is a configuration
 * mistake and is reported with the variable's name.
 */
export type DatabaseProvider = "sqlite" | "postgresql";

/** The SQLite file used when `DATABASE_URL` is not set (git-ignored `data/`). */
export const DEFAULT_DATABASE_URL = "file:./data/evermore.db";

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(
    `DATABASE_URL: expected "file:<path>" (SQLite) or "postgres://…" (PostgreSQL), got "${redactUrl(url)}"`,
  );
}

/** The URL with any password replaced, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}
