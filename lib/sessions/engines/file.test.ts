import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Settings } from "../../settings";
import type { SessionStoreClass } from "../engine";
import { ImproperlyConfigured, InvalidSessionKey, StorageError } from "../errors";
import { sessionContract, withSettings } from "../testing/contract";
import { checkFileStorage, FileStorage, SessionStore } from "./file";

const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `evermore-${name}-`));
const DAY = 86_400;

sessionContract("file", "server", async () => {
  const dir = tempDir("file-contract");
  return {
    Store: SessionStore,
    settings: { SESSION_FILE_PATH: dir },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

/** A store class bound to `dir`, and the file names in it. */
function filesIn(dir: string, settings: Partial<Settings> = {}) {
  const Store = withSettings(SessionStore, { SESSION_FILE_PATH: dir, ...settings });
  return { Store, list: () => fs.readdirSync(dir).sort() };
}

async function saved(
  Store: SessionStoreClass,
  data: Record<string, number | string>,
  expiry?: number,
) {
  const session = new Store();
  await session.update(data);
  if (expiry !== undefined) await session.setExpiry(expiry);
  await session.save();
  return session;
}

describe("file: what is on disk", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("file");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(["sessionid", "pets_session"])(
    "a session is one file named %s<key> holding Django's encoded data and nothing else",
    async (cookieName) => {
      const { Store, list } = filesIn(dir, { SESSION_COOKIE_NAME: cookieName });
      const session = await saved(Store, { pet: "Biscuit" });
      await session.set("visits", 2);
      await session.save();
      expect(list()).toEqual([`${cookieName}${session.sessionKey}`]);
      const content = fs.readFileSync(path.join(dir, list()[0]!));
      expect(content.every((byte) => byte < 0x80)).toBe(true);
      expect(session.decode(content.toString("ascii"))).toEqual({ pet: "Biscuit", visits: 2 });
      expect(fs.statSync(path.join(dir, list()[0]!)).mode & 0o777).toBe(0o600);
    },
  );

  it("an empty file (a session another process is still creating) reads as no session but keeps its key taken", async () => {
    const { Store } = filesIn(dir);
    const key = "placeholder0000000000000000000000";
    fs.writeFileSync(path.join(dir, `sessionid${key}`), "");
    const session = new Store(key);
    expect(await session.items()).toEqual([]);
    expect(session.sessionKey).toBeNull();
    expect(await session.exists(key)).toBe(true);
  });

  it("a logout arriving while a save renames its file into place still wins (same process)", async () => {
    const { Store, list } = filesIn(dir);
    const session = await saved(Store, { pet: "Biscuit" });
    await session.set("more", "data");
    const rename = fs.promises.rename;
    let logout: Promise<void> | undefined;
    // Not a fake storage: the real rename, held back so the logout gets every chance to go first.
    const held = vi.spyOn(fs.promises, "rename").mockImplementation(async (from, to) => {
      logout ??= new Store(session.sessionKey).flush();
      for (let turn = 0; turn < 20 && fs.existsSync(to); turn++) await setTimeout(1);
      return rename(from, to);
    });
    try {
      await session.save();
      await logout;
    } finally {
      held.mockRestore();
    }
    expect(logout).toBeDefined();
    expect(list()).toEqual([]);
  });
});

describe("file: the check before a save replaces a file", () => {
  const key = "swapcheck000000000000000000000000";
  let dir: string;
  let file: string;
  let storage: FileStorage;
  beforeEach(() => {
    dir = tempDir("file-swap");
    file = path.join(dir, `sessionid${key}`);
    const settings = { SESSION_COOKIE_NAME: "sessionid", SESSION_COOKIE_AGE: DAY };
    storage = new FileStorage({ SESSION_FILE_PATH: dir, ...settings });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const record = (data: string) => ({ data, expireDate: null });

  it("replaces the file only when it holds exactly what was read: no more, no less", async () => {
    fs.writeFileSync(file, "abcdef");
    for (const stale of ["abc", "abcde", "abcdefg", "abcdez"]) {
      expect(await storage.swap(key, record(stale), record("new"))).toBe("changed");
    }
    expect(fs.readFileSync(file, "ascii")).toBe("abcdef");
    expect(await storage.swap(key, record("abcdef"), record("new"))).toBe("saved");
    expect(fs.readFileSync(file, "ascii")).toBe("new");
    expect(fs.readdirSync(dir)).toEqual([`sessionid${key}`]);
  });

  it("a writer whose lock was broken as stale publishes its own data, never what the breaker half-wrote", async () => {
    const { Store } = filesIn(dir);
    const session = await saved(Store, { pet: "Biscuit" });
    const sessionFile = path.join(dir, `sessionid${session.sessionKey}`);
    await session.set("pet", "Rex");
    const open = fs.promises.open;
    let broken = false;
    // Not a fake storage: the real open, after doing what another process would meanwhile.
    const breaker = vi.spyOn(fs.promises, "open").mockImplementation(async (...args) => {
      if (args[0] === sessionFile && fs.existsSync(`${sessionFile}.lock`)) {
        // The writer stalled past STALE_LOCK_MS: another process broke its lock and took it.
        fs.unlinkSync(`${sessionFile}.lock`);
        fs.writeFileSync(`${sessionFile}.lock`, "half-writ");
        broken = true;
      }
      return open(...args);
    });
    try {
      await session.save();
    } finally {
      breaker.mockRestore();
    }
    expect(broken).toBe(true);
    expect(await new Store(session.sessionKey).get("pet")).toBe("Rex");
  });

  it("a lock that cannot be taken fails the save and leaves no file and no open descriptor", async () => {
    fs.writeFileSync(file, "abcdef");
    const descriptors = () => fs.readdirSync("/proc/self/fd").length;
    const before = descriptors();
    const failure = Object.assign(new Error("i/o error"), { code: "EIO" });
    // The real file system, with `link` failing as a sick disk would.
    const link = vi.spyOn(fs.promises, "link").mockRejectedValue(failure);
    try {
      await expect(storage.swap(key, record("abcdef"), record("new"))).rejects.toThrow(
        StorageError,
      );
    } finally {
      link.mockRestore();
    }
    expect(descriptors()).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([`sessionid${key}`]);
    expect(fs.readFileSync(file, "ascii")).toBe("abcdef");
  });

  it("a placeholder or a missing file is gone, for a compared save and a plain update alike", async () => {
    expect(await storage.swap(key, record("abc"), record("new"))).toBe("gone");
    expect(await storage.update(key, record("new"))).toBe(false);
    fs.writeFileSync(file, "");
    expect(await storage.swap(key, record("abc"), record("new"))).toBe("gone");
    expect(await storage.update(key, record("new"))).toBe(false);
    expect(fs.readFileSync(file, "ascii")).toBe("");
    fs.writeFileSync(file, "x");
    expect(await storage.update(key, record("new"))).toBe(true);
    expect(fs.readFileSync(file, "ascii")).toBe("new");
    expect(fs.readdirSync(dir)).toEqual([`sessionid${key}`]);
  });
});

describe("file: hostile session keys", () => {
  const HOSTILE = [
    "../x",
    "/../../escaped",
    "a/b",
    "a\\b",
    "%2e%2e%2f",
    "abc\0defgh",
    "．．／etc",
    "ABCDEFGHIJ",
    "",
  ];
  let root: string;
  let dir: string;
  beforeAll(() => {
    root = tempDir("file-hostile");
    dir = path.join(root, "sessions");
    fs.mkdirSync(dir);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(HOSTILE)(
    "the storage refuses %j before building a path, without echoing it",
    async (key) => {
      const storage = new FileStorage({
        SESSION_FILE_PATH: dir,
        SESSION_COOKIE_NAME: "sessionid",
        SESSION_COOKIE_AGE: 1209600,
      });
      const record = { data: "x", expireDate: null };
      const attempts = [
        storage.read(key),
        storage.insert(key, record),
        storage.update(key, record),
        storage.remove(key),
        storage.exists(key),
      ];
      for (const attempt of attempts) {
        const error = await attempt.then(
          () => null,
          (rejected: unknown) => rejected,
        );
        expect(error).toBeInstanceOf(InvalidSessionKey);
        if (key) expect((error as Error).message).not.toContain(key);
      }
      expect(fs.readdirSync(root, { recursive: true })).toEqual(["sessions"]);
    },
  );

  it.each(HOSTILE)(
    "a store given %j has no key, and exists/destroy with it are harmless",
    async (key) => {
      const { Store } = filesIn(dir);
      const session = new Store(key);
      expect(session.sessionKey).toBeNull();
      expect(await session.exists(key)).toBe(false);
      await session.destroy(key);
      await session.set("x", 1);
      await session.save();
      expect(session.sessionKey).toMatch(/^[a-z0-9]{32}$/);
      await session.destroy();
      expect(fs.readdirSync(root, { recursive: true })).toEqual(["sessions"]);
    },
  );
});

describe("file: SESSION_FILE_PATH is checked when a store is built", () => {
  let root: string;
  beforeAll(() => {
    root = tempDir("file-config");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("a missing directory is ImproperlyConfigured, naming SESSION_FILE_PATH", () => {
    const missing = path.join(root, "missing");
    const build = () => new SessionStore(null, { settings: { SESSION_FILE_PATH: missing } });
    expect(build).toThrow(ImproperlyConfigured);
    expect(build).toThrow(`SESSION_FILE_PATH: ${missing} does not exist`);
    expect(() => checkFileStorage({ SESSION_FILE_PATH: missing })).toThrow(ImproperlyConfigured);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("a file where the directory should be is ImproperlyConfigured, naming SESSION_FILE_PATH", () => {
    const file = path.join(root, "not-a-directory");
    fs.writeFileSync(file, "");
    const build = () => new SessionStore(null, { settings: { SESSION_FILE_PATH: file } });
    expect(build).toThrow(ImproperlyConfigured);
    expect(build).toThrow(`SESSION_FILE_PATH: ${file} is not a directory`);
  });

  it("an existing writable directory passes", () => {
    expect(checkFileStorage({ SESSION_FILE_PATH: root })).toBe(root);
  });
});

describe("file: clearExpired", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("file-clear");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("removes sessions past their own expiry or past mtime + SESSION_COOKIE_AGE, and nothing else", async () => {
    const { Store, list } = filesIn(dir, { SESSION_COOKIE_AGE: DAY });
    const expired = await saved(Store, { x: 1 }, -60);
    const idle = await saved(Store, { x: 2 });
    const live = await saved(Store, { x: 3 });
    const longLived = await saved(Store, { x: 4 }, 30 * DAY);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY * 1000);
    for (const session of [idle, longLived]) {
      fs.utimesSync(path.join(dir, `sessionid${session.sessionKey}`), twoDaysAgo, twoDaysAgo);
    }
    const strangers = ["othersession", "sessionid_out_abc", "sessionidBAD.KEY", "notes.txt"];
    for (const name of strangers) fs.writeFileSync(path.join(dir, name), "not a session");
    fs.writeFileSync(path.join(dir, "sessionidorphanplaceholder00000"), "");
    fs.utimesSync(path.join(dir, "sessionidorphanplaceholder00000"), twoDaysAgo, twoDaysAgo);

    const progress: number[] = [];
    const removed = await Store.clearExpired({ onProgress: (count) => progress.push(count) });

    expect(removed).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
    const kept = [live, longLived].map((session) => `sessionid${session.sessionKey}`);
    expect(list()).toEqual([...kept, ...strangers].sort());
    expect(await new Store(live.sessionKey).get("x")).toBe(3);
    expect(await new Store(expired.sessionKey).get("x")).toBeUndefined();
  });

  it("keeps a session that was rewritten after it was judged expired", async () => {
    const { Store } = filesIn(dir);
    const session = await saved(Store, { visits: 1 });
    const storage = new FileStorage({
      SESSION_FILE_PATH: dir,
      SESSION_COOKIE_NAME: "sessionid",
      SESSION_COOKIE_AGE: DAY,
    });
    const removed = await storage.clearExpired({
      now: new Date(),
      expireDateOf: async () => {
        await session.set("visits", 2); // a request refreshing the session meanwhile
        await session.save();
        return new Date(0);
      },
    });
    expect(removed).toBe(0);
    expect(await new Store(session.sessionKey).get("visits")).toBe(2);
  });

  it("removes locks and temporary files of writers that died an hour or more ago, and no others", async () => {
    const { Store, list } = filesIn(dir);
    const live = await saved(Store, { x: 1 });
    const key = live.sessionKey!;
    const abandoned = [
      `sessionid${key}.lock`,
      `sessionid${key}_out_0a1b2c3d4e5f`,
      "sessionidabc_out_k2_x9q1z",
    ];
    const working = [`sessionid${key}_out_ffeeddccbbaa`, "sessionidother.lock"];
    const strangers = ["sessionid_out_abc", "sessionidBAD.lock", "notes.lock"];
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000 - 1000);
    for (const name of [...abandoned, ...working, ...strangers]) {
      fs.writeFileSync(path.join(dir, name), "");
      if (!working.includes(name)) fs.utimesSync(path.join(dir, name), anHourAgo, anHourAgo);
    }

    expect(await Store.clearExpired()).toBe(0);

    expect(list()).toEqual([`sessionid${key}`, ...working, ...strangers].sort());
    expect(await new Store(key).get("x")).toBe(1);
  });

  it("an empty directory clears nothing", async () => {
    expect(await filesIn(dir).Store.clearExpired()).toBe(0);
  });
});

/**
 * Real file-system failures need real mounts: the tests run as root, which
 * ignores file permissions, so only a read-only or full file system refuses
 * a write. Skipped (with the reason) where the sandbox forbids mounting.
 */
const mountProblem = probeMount();

function probeMount(): string | null {
  const dir = tempDir("file-mount-probe");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "pipe" });
    execFileSync("umount", [dir], { stdio: "pipe" });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs here (${stderr || (error as Error).message})`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh tmpfs of `size`, and a way to change or drop it. */
function tmpfs(size: string) {
  const dir = tempDir("file-tmpfs");
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir]);
  return {
    dir,
    remount: (mode: "ro" | "rw") => execFileSync("mount", ["-o", `remount,${mode}`, dir]),
    unmount: () => {
      try {
        execFileSync("umount", [dir], { stdio: "pipe" });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

describe.skipIf(mountProblem !== null)(
  `file: a read-only file system${mountProblem ? ` (skipped: ${mountProblem})` : ""}`,
  () => {
    let mount: ReturnType<typeof tmpfs>; // unset if mounting failed: hence `?.` below
    beforeAll(() => {
      mount = tmpfs("1m");
    });
    afterEach(() => mount?.remount("rw"));
    afterAll(() => mount?.unmount());

    it("writes fail with StorageError naming SESSION_FILE_PATH, the old file stays, reads still work", async () => {
      const { Store, list } = filesIn(mount.dir);
      const session = await saved(Store, { pet: "Biscuit" });
      const key = session.sessionKey!;
      const before = fs.readFileSync(path.join(mount.dir, `sessionid${key}`));
      mount.remount("ro");

      await session.set("pet", "Rex");
      const failure = await session.save().then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(StorageError);
      expect(failure?.message).toBe(
        `sessions: cannot write session files in SESSION_FILE_PATH (${mount.dir}): ` +
          "the file system is read-only (EROFS)",
      );
      expect(failure?.message).not.toContain(key);
      await expect(saved(Store, { another: 1 })).rejects.toThrow(/read-only \(EROFS\)/);
      await expect(new Store(key).flush()).rejects.toThrow(StorageError);

      expect(list()).toEqual([`sessionid${key}`]);
      expect(fs.readFileSync(path.join(mount.dir, `sessionid${key}`))).toEqual(before);
      expect(await new Store(key).get("pet")).toBe("Biscuit");
    });

    it("a read-only directory is ImproperlyConfigured at start-up", () => {
      mount.remount("ro");
      expect(() => checkFileStorage({ SESSION_FILE_PATH: mount.dir })).toThrow(
        `SESSION_FILE_PATH: ${mount.dir} is not writable (EROFS)`,
      );
    });
  },
);

describe.skipIf(mountProblem !== null)(
  `file: a full file system${mountProblem ? ` (skipped: ${mountProblem})` : ""}`,
  () => {
    let mount: ReturnType<typeof tmpfs>; // unset if mounting failed: hence `?.` below
    beforeAll(() => {
      mount = tmpfs("64k");
    });
    afterAll(() => mount?.unmount());

    it("a save that does not fit fails with StorageError, and the previous file is intact byte for byte", async () => {
      const { Store, list } = filesIn(mount.dir);
      const session = await saved(Store, { pet: "Biscuit" });
      const file = path.join(mount.dir, `sessionid${session.sessionKey}`);
      const before = fs.readFileSync(file);
      fillUp(path.join(mount.dir, "filler"));

      await session.set("story", "a long walk on the beach ".repeat(2000));
      await expect(session.save()).rejects.toThrow(
        `sessions: cannot write session files in SESSION_FILE_PATH (${mount.dir}): ` +
          "the disk is full (ENOSPC)",
      );
      await expect(saved(Store, { story: "x".repeat(8000) })).rejects.toThrow(StorageError);

      expect(list()).toEqual(["filler", path.basename(file)]);
      expect(fs.readFileSync(file)).toEqual(before);

      fs.rmSync(path.join(mount.dir, "filler"));
      await session.save();
      expect(await new Store(session.sessionKey).get("pet")).toBe("Biscuit");
    });
  },
);

/** Writes to `file` until the file system has no room left. */
function fillUp(file: string) {
  const chunk = Buffer.alloc(4096, 1);
  const fd = fs.openSync(file, "w");
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    fs.closeSync(fd);
  }
}
