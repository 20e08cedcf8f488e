import { getSessionStore, ImproperlyConfigured } from "./sessions";
import { checkFileStorage } from "./sessions/engines/session-files";
import { settings, SettingsError } from "./settings";

/**
 * Parses the settings at server start; on a bad environment prints one line
 * per bad variable (no stack trace: it is not a bug) and exits with code 1.
 */
export function settingsOrExit() {
  try {
    return settings();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * Resolves `SESSION_ENGINE` at server start (engines registered by then): an
 * unknown engine, or the file engine without a directory it can write to,
 * stops the server with one line, instead of failing every request that
 * touches the session.
 */
export async function sessionEngineOrExit() {
  try {
    await getSessionStore();
    if (settings().SESSION_ENGINE === "file") checkFileStorage(settings());
  } catch (error) {
    if (!(error instanceof ImproperlyConfigured)) throw error;
    console.error(`evermore: ${error.message}`);
    process.exit(1);
  }
}
