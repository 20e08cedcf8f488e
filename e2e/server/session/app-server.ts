import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../../test/harness/processes";

const NEXT_CLI = "node_modules/next/dist/bin/next";

/** A `next start` of the production build with its own settings, database and session directory. */
export interface AppServer {
  url: string;
  /** The server's SQLite file (the `db` and `cached_db` engines keep sessions there). */
  databaseFile: string;
  /** The `file` engine's directory. */
  sessionDir: string;
  /** What the server printed: shown when a test fails. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the already-built site (`.next`) on a free loopback port with
 * `env` over a production environment, on a copy of `templateDatabase` (a
 * migrated, empty SQLite file), and waits until /healthz answers.
 */
export async function startAppServer(
  env: Record<string, string>,
  templateDatabase: string,
): Promise<AppServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-session-http-"));
  const databaseFile = path.join(dir, "site.db");
  const sessionDir = path.join(dir, "sessions");
  fs.copyFileSync(templateDatabase, databaseFile);
  fs.mkdirSync(sessionDir);
  const port = await freePort();
  // Node runs Next's CLI itself (not npx), so stopping the child stops the server.
  const child = spawn(
    process.execPath,
    [NEXT_CLI, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        EVERMORE_TEST_ROUTES: "1",
        // The run's key (npm test checks that no log ever shows it), or a random one.
        SECRET_KEY: process.env.SECRET_KEY || `session-http-${crypto.randomUUID()}`,
        DATABASE_URL: `file:${databaseFile}`,
        // Its emails' links lead back to it (EMAIL_HOST and EMAIL_PORT come from npm test).
        SITE_URL: `http://127.0.0.1:${port}`,
        SESSION_FILE_PATH: sessionDir,
        UPLOADS_DIR: path.join(dir, "uploads"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  // All of it goes to the run's log directory, where npm test looks for leaked keys.
  const logDir = process.env.EVERMORE_TEST_LOG_DIR;
  const log = logDir ? fs.createWriteStream(path.join(logDir, `next-start-${port}.log`)) : null;
  const keep = (chunk: Buffer) => {
    log?.write(chunk);
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    child.once("close", () => (log ? log.end(resolve) : resolve())),
  );

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- next start output ---\n${output}`);
  }
  return { url, databaseFile, sessionDir, output: () => output, stop };
}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not answer ${url}/healthz within 30 s`);
}
