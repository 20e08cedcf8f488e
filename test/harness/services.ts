import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Managed } from "./processes";
import {
  freePort,
  requireBinary,
  retryingPortClash,
  searchDirs,
  startManaged,
  waitForPort,
} from "./processes";

/**
 * Throwaway Redis, memcached and PostgreSQL servers on free loopback ports,
 * each in its own temporary directory, for one test run. Nothing here ever
 * talks to a server someone left running.
 */
export interface Service {
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where to look for the server program; tests of the harness narrow it. */
  searchDirs?: string[];
  /** A fixed port, to bring a stopped server back where its clients look for it. Default: a free one. */
  port?: number;
  /** Where free ports come from (default `freePort`); tests of the harness hand out a taken one. */
  pickPort?: () => Promise<number>;
}

/**
 * Starts a server on `port`, or else on a free one, picked again if
 * another process takes it before the server binds.
 */
function onPort<T>(
  port: number | undefined,
  pickPort: () => Promise<number>,
  start: (port: number) => Promise<T>,
) {
  if (port !== undefined) return start(port);
  return retryingPortClash(async () => start(await pickPort()));
}

export async function startRedis({
  searchDirs: dirs = searchDirs(),
  port,
  pickPort = freePort,
}: StartOptions = {}) {
  const binary = requireBinary("redis-server", "redis-server", dirs);
  return onPort(port, pickPort, async (port) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-redis-"));
    const listen = ["--port", String(port), "--bind", "127.0.0.1"];
    const noDisk = ["--save", "", "--appendonly", "no", "--dir", dir];
    const server = startManaged(binary, [...listen, ...noDisk], { name: "redis-server" });
    try {
      await ready(server, port, "redis-server");
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return { url: `redis://127.0.0.1:${port}`, stop: () => stopAndRemove(server, dir) };
  });
}

export async function startMemcached({
  searchDirs: dirs = searchDirs(["/usr/bin"]),
  port,
  pickPort = freePort,
}: StartOptions = {}) {
  const binary = requireBinary("memcached", "memcached", dirs);
  // memcached refuses to run as root unless told which user to become.
  const user = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
  return onPort(port, pickPort, async (port) => {
    const args = ["-l", "127.0.0.1", "-p", String(port), "-U", "0", "-m", "64", ...user];
    const server = startManaged(binary, args, { name: "memcached" });
    await ready(server, port, "memcached");
    return { url: `memcached://127.0.0.1:${port}`, stop: () => server.stop() };
  });
}

/**
 * A PostgreSQL cluster made with initdb in a temp directory and served by a
 * `postgres` process we own. As root, it runs as the `postgres` user (the
 * server refuses root).
 */
export async function startPostgres({
  searchDirs: dirs = postgresSearchDirs(),
  pickPort = freePort,
}: Omit<StartOptions, "port"> = {}) {
  const initdb = requireBinary("initdb", "postgresql", dirs);
  const postgres = requireBinary("postgres", "postgresql", dirs);
  const owner = unprivilegedOwner();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-pg-"));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, "data");
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};

  execFileSync(
    initdb,
    ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
    { ...asOwner, stdio: "pipe" },
  );
  const settings = ["listen_addresses=127.0.0.1", "fsync=off", "synchronous_commit=off"];
  try {
    return await retryingPortClash(async () => {
      const port = await pickPort();
      const args = [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        ...settings.flatMap((s) => ["-c", s]),
      ];
      // SIGINT is PostgreSQL's "fast shutdown": clients are disconnected, no recovery needed.
      const server = startManaged(postgres, args, {
        ...asOwner,
        name: "postgres",
        stopSignal: "SIGINT",
      });
      await ready(server, port, "postgres", {
        saying: "database system is ready to accept connections",
      });
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop: () => stopAndRemove(server, dir),
      };
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** PostgreSQL's server programs live outside PATH on Debian: newest version first. */
export function postgresSearchDirs(): string[] {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root) : [];
  const binDirs = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(root, version, "bin"));
  return searchDirs(binDirs);
}

function unprivilegedOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
      const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
      return { uid, gid };
    } catch {
      // No such user on this machine: try the next one.
    }
  }
  throw new Error(
    "Running as root, but neither a postgres nor a nobody user exists to run PostgreSQL",
  );
}

/**
 * Waits for the server's port and, with `saying`, for the server to print
 * that it is ready: PostgreSQL listens before it takes queries, and
 * answers "the database system is starting up" until then. A server that
 * never gets there is stopped, and its output explains why.
 */
export async function ready(
  server: Managed,
  port: number,
  name: string,
  { saying = "", timeoutMs = 20_000 } = {},
) {
  const said = saying ? { text: saying, output: server.output } : undefined;
  try {
    await waitForPort(port, server.child, { name, ownPort: true, said, timeoutMs });
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${server.output()}`);
  }
}

async function stopAndRemove(server: Managed, dir: string) {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
