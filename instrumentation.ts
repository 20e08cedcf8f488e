/**
 * Runs once when the server starts: records each request's socket address
 * for the per-address limits; a bad environment, or a database not yet
 * migrated, stops the server here with what to fix, instead of failing on
 * the first request. Then every response that sets or deletes the session
 * cookie is made to vary on `Cookie`, Server Actions' included.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First: every request from here on carries its socket's address (lib/client-address.ts).
    (await import("./lib/client-address")).recordSocketAddresses();
    const { migratedDatabaseOrExit, sessionEngineOrExit, settingsOrExit } =
      await import("./lib/startup");
    const { SESSION_COOKIE_NAME } = settingsOrExit();
    const { registerAccountsEngine } = await import("./lib/accounts/register-engine");
    registerAccountsEngine();
    await sessionEngineOrExit();
    await migratedDatabaseOrExit();
    const { varyOnSessionCookie } = await import("./lib/sessions/next/vary-on-cookie");
    varyOnSessionCookie(SESSION_COOKIE_NAME);
  }
}
