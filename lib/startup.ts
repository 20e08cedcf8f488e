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
