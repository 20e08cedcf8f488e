import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { findBinary, searchDirs } from "../../test/harness/processes";
import { postgresSearchDirs } from "../../test/harness/services";

/** The Debian packages the tests need, found by the programs each provides. */
interface Requirement {
  debianPackage: string;
  present(): boolean;
  forBrowser?: boolean;
}

const REQUIREMENTS: Requirement[] = [
  { debianPackage: "redis-server", present: () => findBinary("redis-server") !== null },
  // redis-cli joins the Redis Cluster of the tests (redis-server depends on it; said once more here).
  { debianPackage: "redis-tools", present: () => findBinary("redis-cli") !== null },
  {
    debianPackage: "memcached",
    present: () => findBinary("memcached", searchDirs(["/usr/bin"])) !== null,
  },
  {
    debianPackage: "postgresql",
    present: () => ["initdb", "postgres"].every((name) => findBinary(name, postgresSearchDirs())),
  },
  {
    // The real Django that wire-compatibility tests talk to (Debian's Python, not a pyenv one).
    debianPackage: "python3-django",
    present: () => spawnSync("/usr/bin/python3", ["-c", "import django"]).status === 0,
  },
  {
    debianPackage: "chromium",
    present: () => fs.existsSync(process.env.CHROMIUM_PATH || "/usr/bin/chromium"),
    forBrowser: true,
  },
];

/**
 * Installs what is missing with apt-get when running as root on Debian;
 * otherwise throws an error that names exactly what to install.
 */
export function ensureSystemPackages({ browser, install }: { browser: boolean; install: boolean }) {
  const missing = REQUIREMENTS.filter((r) => (browser || !r.forBrowser) && !r.present()).map(
    (r) => r.debianPackage,
  );
  if (missing.length === 0) return;

  const canInstall = install && process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    throw new Error(
      `Missing system packages: ${missing.join(", ")}.\n` +
        `Install them, then run the tests again:\n  sudo apt-get install ${missing.join(" ")}`,
    );
  }
  console.log(`Installing Debian packages: ${missing.join(", ")} (apt-get)…`);
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  const stillMissing = REQUIREMENTS.filter(
    (r) => missing.includes(r.debianPackage) && !r.present(),
  );
  if (stillMissing.length > 0) {
    throw new Error(
      `apt-get finished, but these are still missing: ${stillMissing.map((r) => r.debianPackage).join(", ")}`,
    );
  }
}

function apt(args: string[]) {
  const result = spawnSync("apt-get", args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
}
