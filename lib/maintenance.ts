import { DEFAULT_DATABASE_URL, redactUrl } from "./db/url";
import type { Env } from "./sessions/settings";
import type { Settings } from "./settings";
import { settings } from "./settings";

/**
 * The settings of a maintenance command (`clearsessions`, `clearphotos`),
 * which reads sessions that the servers wrote.
 *
 * Without `SECRET_KEY`, and outside production, the settings fall back to
 * the development key generated in `data/secret-key`: right for `npm run
 * dev`, wrong for a cron job pointed at the production database that forgot
 * `NODE_ENV=production`. Every session there would fail to verify under that
 * key and read as empty. So a maintenance command refuses to run with the
 * development key against any database but the development one, before the
 * key is generated or read. (`db:migrate` reads no session and needs no key.)
 */
export function maintenanceSettings(command: string, env: Env = process.env): Settings {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!env.SECRET_KEY && env.NODE_ENV !== "production" && url !== DEFAULT_DATABASE_URL) {
    throw new Error(
      `${command}: SECRET_KEY is not set, and DATABASE_URL (${redactUrl(url)}) is not the ` +
        `development database (${DEFAULT_DATABASE_URL}); refusing to read its sessions with the ` +
        "generated development key. Set SECRET_KEY (and SECRET_KEY_FALLBACKS) as the servers have them.",
    );
  }
  return settings();
}
