/**
 * `npm run clearphotos`: removes the photo files under `UPLOADS_DIR` that no
 * live session and no memorial holds (lib/memorials/photo-sweep.ts). Run it
 * from cron after `clearsessions`; exit status 0 = done, 1 with the reason
 * on stderr (invalid settings, or an engine whose sessions cannot be listed).
 * `.env*` files are read the way `next dev` / `next start` read them.
 */
import nextEnv from "@next/env";

import { registerAccountsEngine } from "../lib/accounts/register-engine";
import { databaseFor } from "../lib/db/client";
import { uploadsDir } from "../lib/memorials/photo-files";
import { sweepPhotos } from "../lib/memorials/photo-sweep";
import { getSessionStore } from "../lib/sessions/engine";
import { maintenanceSettings } from "../lib/maintenance";

async function main(): Promise<number> {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
    info: () => {},
    error: console.error,
  });
  const config = maintenanceSettings("clearphotos");
  const engine = config.SESSION_ENGINE;
  registerAccountsEngine(); // the site's own engine, as the server registers it at start-up
  const { removed, kept } = await sweepPhotos({
    engine,
    Store: await getSessionStore(engine),
    database: databaseFor(config.DATABASE_URL),
    uploadsDir: uploadsDir(),
    sessionFiles: { dir: config.SESSION_FILE_PATH, prefix: config.SESSION_COOKIE_NAME },
  });
  console.log(
    `clearphotos: removed ${removed} unused photo ${removed === 1 ? "file" : "files"}, ` +
      `kept ${kept} (engine ${engine})`,
  );
  return 0;
}

// `process.exit`, not a natural end: the database pool would keep the process alive.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(/^(evermore|clearphotos):/.test(message) ? message : `clearphotos: ${message}`);
    process.exit(1);
  },
);
