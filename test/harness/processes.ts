import type { ChildProcess, SpawnOptions } from "node:child_process";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * Small, dependable pieces for running throwaway servers in tests: free
 * loopback ports, binaries found or named precisely, readiness with a
 * deadline, and a stop that always happens.
 */

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How many times a server is started on fresh ports when a port it was given was taken meanwhile. */
const PORT_CLASH_ATTEMPTS = 3;

/**
 * Runs `start` again when its server could not bind: `freePort` only finds
 * a port free at that moment, and a server started alongside (vitest's
 * global setup starts four at once; `npm test` runs Playwright twice at
 * once) may take it first. `start` must pick its ports anew on each call
 * and clean up after itself when it fails. Any other failure is thrown at once.
 */
export async function retryingPortClash<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= PORT_CLASH_ATTEMPTS || !portWasTaken(error)) throw error;
    }
  }
}

/** Redis, memcached and PostgreSQL all say so when they cannot bind their port; `ready` puts their output in the error. */
function portWasTaken(error: unknown): boolean {
  return error instanceof Error && error.message.includes("Address already in use");
}

/** Thrown when a server's program is not installed; names the Debian package. */
export class MissingBinaryError extends Error {
  constructor(binary: string, debianPackage: string) {
    super(
      `${binary} is not installed. Install the Debian package "${debianPackage}" ` +
        `(apt-get install ${debianPackage}), or run "npm test", which installs it when run as root.`,
    );
    this.name = "MissingBinaryError";
  }
}

/** The directories searched for programs: PATH, then extra ones. */
export function searchDirs(extraDirs: string[] = []): string[] {
  return [...(process.env.PATH ?? "").split(path.delimiter), ...extraDirs];
}

/** Finds a program in the given directories; null when absent. */
export function findBinary(name: string, dirs: string[] = searchDirs()): string | null {
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return null;
}

export function requireBinary(name: string, debianPackage: string, dirs: string[]) {
  const found = findBinary(name, dirs);
  if (!found) throw new MissingBinaryError(name, debianPackage);
  return found;
}

/**
 * Waits until something accepts TCP connections on the port; with
 * `ownPort`, until `child` itself does (a connection alone cannot tell: when
 * another process took the port first, it is that one that answers, while
 * the child fails to bind and exits); with `said`, until the child has also
 * printed `said.text` in `said.output()`.
 */
export async function waitForPort(
  port: number,
  child: ChildProcess,
  {
    timeoutMs = 20_000,
    name = "server",
    ownPort = false,
    said,
  }: { timeoutMs?: number; name?: string; ownPort?: boolean; said?: Said } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let listening = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited before accepting connections (${describeExit(child)})`);
    }
    listening ||= (await canConnect(port)) && (!ownPort || listensOn(child.pid!, port) !== false);
    if (listening && (!said || said.output().includes(said.text))) return;
    await sleep(50);
  }
  if (listening && said)
    throw new Error(`${name} did not say "${said.text}" within ${timeoutMs} ms`);
  throw new Error(`${name} did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** What a server prints once it is ready, and where to find what it printed. */
export interface Said {
  text: string;
  output(): string;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Whether process `pid` holds the socket listening on 127.0.0.1:`port`, read
 * from Linux's /proc; null where /proc cannot tell (another system), and
 * the caller settles for a connection.
 */
function listensOn(pid: number, port: number): boolean | null {
  let table: string;
  try {
    table = fs.readFileSync("/proc/net/tcp", "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    // Exited (and reaped) since it was last checked: it holds nothing.
    if (code === "ENOENT") return false;
    // Another user's process that this one may not look into: /proc cannot tell.
    if (code === "EACCES") return null;
    throw error;
  }
  // Rows: "sl local_address rem_address st ... inode"; 0100007F is 127.0.0.1, state 0A is LISTEN.
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set(
    table
      .split("\n")
      .map((row) => row.trim().split(/\s+/))
      .filter((fields) => fields[1] === local && fields[3] === "0A")
      .map((fields) => `socket:[${fields[9]}]`),
  );
  return fds.some((fd) => inodes.has(linkOf(`/proc/${pid}/fd/${fd}`)));
}

/** Where a /proc fd link points; "" for one closed since it was listed. */
function linkOf(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How a command ended, and all it printed. */
export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (a CLI under test), collecting its output. */
export function runToEnd(file: string, args: string[], options: SpawnOptions): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}

/** A child process whose last output is kept, to explain a failure. */
export interface Managed {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Managed>();

export function startManaged(
  command: string,
  args: string[],
  options: SpawnOptions & { name: string; stopSignal?: NodeJS.Signals },
): Managed {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (error) => keep(Buffer.from(`${options.name}: ${error.message}\n`)));

  const managed: Managed = {
    child,
    output: () => tail,
    stop: () => {
      running.delete(managed);
      return stopChild(child, options.stopSignal ?? "SIGTERM");
    },
  };
  running.add(managed);
  return managed;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!stopped) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** Kills whatever is still running when the test process goes away, however it goes. */
function killAllSync() {
  for (const managed of running) managed.child.kill("SIGKILL");
  running.clear();
}

process.once("exit", killAllSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAllSync();
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });
}
