import { execFileSync } from "node:child_process";
import os from "node:os";
import { databaseFor } from "../../lib/db/client";
import { DJANGO_PYTHON } from "../../test/harness/django";
import { findBinary, searchDirs } from "../../test/harness/processes";
import { postgresSearchDirs } from "../../test/harness/services";

/** What ran the benchmark: the machine, the versions of everything measured, and when. */
export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  /** 1-, 5- and 15-minute load averages when the run started and when it ended. */
  loadAverage: { start: string; end: string };
  versions: Record<string, string>;
}

/** The load averages now, as the report prints them. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(", ");
}

export async function describeMachine(sqliteUrl: string, loadAtStart: string): Promise<Machine> {
  const sqlite = await databaseFor(sqliteUrl).$queryRawUnsafe<{ v: string }[]>(
    "SELECT sqlite_version() AS v",
  );
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: { start: loadAtStart, end: loadAverage() },
    versions: {
      Node: process.version,
      Redis: versionOf("redis-server", ["--version"], searchDirs(), /v=(\S+)/),
      memcached: versionOf("memcached", ["-V"], searchDirs(["/usr/bin"]), /memcached (\S+)/),
      PostgreSQL: versionOf("postgres", ["--version"], postgresSearchDirs(), /(\d+\.\d+)/),
      SQLite: sqlite[0]?.v ?? "unknown",
      Django: versionOf(
        DJANGO_PYTHON,
        ["-c", "import django; print(django.get_version())"],
        [],
        /(\S+)/,
      ),
    },
  };
}

/** The version a program prints, or "unknown" when it is missing or says nothing we recognise. */
function versionOf(program: string, args: string[], dirs: string[], pattern: RegExp): string {
  const binary = program.startsWith("/") ? program : findBinary(program, dirs);
  if (!binary) return "not installed";
  try {
    const output = execFileSync(binary, args, { stdio: "pipe" }).toString();
    return pattern.exec(output)?.[1] ?? "unknown";
  } catch {
    return "unknown"; // The program ran but failed: the report says so rather than stopping.
  }
}
