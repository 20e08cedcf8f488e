/**
 * Runs once when the server starts: a bad environment stops the server here,
 * with one line per bad variable, instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { sessionEngineOrExit, settingsOrExit } = await import("./lib/startup");
    settingsOrExit();
    const { registerAccountsEngine } = await import("./lib/accounts/register-engine");
    registerAccountsEngine();
    await sessionEngineOrExit();
  }
}
