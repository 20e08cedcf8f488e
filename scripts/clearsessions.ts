/**
 * `npm run clearsessions`: Django's `manage.py clearsessions`. Removes the
 * expired sessions of the configured `SESSION_ENGINE` and says how many; run
 * it from cron (exit status 0 = done) or by hand (a progress line on a terminal).
 *
 * Exit status 1, with the reason on stderr: invalid settings, an engine that
 * cannot be loaded or reached, or a custom engine without `clearExpired`
 * (Django: "Session engine '…' doesn't support clearing expired sessions.").
 * `.env*` files are read the way `next dev` / `next start` read them.
 */
import nextEnv from "@next/env";

import { registerAccountsEngine } from "../lib/accounts/register-engine";
import { getSessionStore } from "../lib/sessions/engine";
import { maintenanceSettings } from "../lib/maintenance";

/** Engines whose expired sessions never pile up on the server, and why (Django's no-op `clear_expired`). */
const NOTHING_TO_CLEAR: Record<string, string> = {
  cache: "the cache drops expired sessions by itself",
  signed_cookies: "sessions live in the browser's cookie; an expired cookie is refused when read",
  encrypted_cookies:
    "sessions live in the browser's cookie; an expired cookie is refused when read",
};

/** How often a terminal's progress line is redrawn, at most. */
const REDRAW_MS = 100;

async function main(): Promise<number> {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
    info: () => {},
    error: console.error,
  });
  const engine = maintenanceSettings("clearsessions").SESSION_ENGINE;
  registerAccountsEngine(); // the site's own engine, as the server registers it at start-up
  const Store = await getSessionStore(engine);
  if (typeof Store.clearExpired !== "function") {
    console.error(
      `clearsessions: Session engine '${engine}' doesn't support clearing expired sessions.`,
    );
    return 1;
  }
  const progress = progressLine();
  const removed = await Store.clearExpired({ onProgress: progress.update }).finally(progress.done);
  const why = NOTHING_TO_CLEAR[engine];
  if (why && removed === 0) {
    console.log(`clearsessions: nothing to clear (engine ${engine}): ${why}`);
  } else {
    console.log(
      `clearsessions: removed ${removed} expired ${removed === 1 ? "session" : "sessions"} (engine ${engine})`,
    );
  }
  return 0;
}

/** A single updating line on a terminal; nothing when the output is a file or a pipe (cron, CI). */
function progressLine() {
  let drawnAt = 0;
  let drawn = false;
  return {
    update(removed: number) {
      if (!process.stdout.isTTY || Date.now() - drawnAt < REDRAW_MS) return;
      process.stdout.write(`\r\x1b[Kclearsessions: removed ${removed} so far…`);
      drawnAt = Date.now();
      drawn = true;
    },
    done() {
      if (drawn) process.stdout.write("\r\x1b[K");
    },
  };
}

// `process.exit`, not a natural end: engines keep connections (database pool, cache client) open.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // Settings errors are several lines already prefixed; others get the command's name.
    console.error(
      /^(evermore|clearsessions):/.test(message) ? message : `clearsessions: ${message}`,
    );
    process.exit(1);
  },
);
