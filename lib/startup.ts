import { db } from "./db/client";
import { committedMigrations, migrationsDirectory, pendingMigrations } from "./db/migrations";
import { databaseProvider, redactUrl } from "./db/url";
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

/**
 * Checks at server start that the database has every committed migration. A
 * release started before `npm run db:migrate` would otherwise answer 500 on
 * the first page that reads a new table; it stops here instead, saying what
 * to run. A database that cannot be reached yet is left to the requests
 * (a session store that is down answers 503), with a warning.
 */
export async function migratedDatabaseOrExit() {
  const url = settings().DATABASE_URL;
  const provider = databaseProvider(url);
  const committed = await committedMigrations(migrationsDirectory(provider));
  // Deployed without prisma/ beside it: there is nothing to compare with.
  if (!committed) return;
  let pending: string[];
  try {
    pending = await pendingMigrations(db(), provider, committed);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "";
    console.warn(`evermore: could not check the migrations of ${redactUrl(url)} (${reason})`);
    return;
  }
  if (pending.length === 0) return;
  console.error(
    `evermore: the database at ${redactUrl(url)} lacks ${pending.length} of its migrations ` +
      `(${pending.join(", ")}): run \`npm run db:migrate\` with this DATABASE_URL, then start again`,
  );
  process.exit(1);
}
