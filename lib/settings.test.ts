import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseSettings, SettingsError } from "./settings";

const STRONG_KEY = "k".repeat(20) + "0123456789abcdefghijklmnopqrstu!";

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-settings-"));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  fs.rmSync(cwd, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseSettings(env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error("expected a SettingsError");
}

describe("settings", () => {
  it("has Django's defaults when nothing is set", () => {
    const settings = parseSettings({ SECRET_KEY: STRONG_KEY }, cwd);
    expect(settings).toMatchObject({
      SESSION_ENGINE: "db",
      SESSION_COOKIE_NAME: "sessionid",
      SESSION_COOKIE_AGE: 1209600,
      SESSION_COOKIE_DOMAIN: null,
      SESSION_COOKIE_SECURE: false,
      SESSION_COOKIE_PATH: "/",
      SESSION_COOKIE_HTTPONLY: true,
      SESSION_COOKIE_SAMESITE: "Lax",
      SESSION_SAVE_EVERY_REQUEST: false,
      SESSION_EXPIRE_AT_BROWSER_CLOSE: false,
      SESSION_FILE_PATH: os.tmpdir(),
      SESSION_SERIALIZER: "json",
      SESSION_CACHE_ALIAS: "default",
      SESSION_MAX_SIZE: 262144,
      SECRET_KEY_FALLBACKS: [],
      CACHES: {},
      DATABASE_URL: "file:./data/evermore.db",
      NODE_ENV: "development",
      TRUSTED_PROXY_HOPS: 0,
    });
  });

  it("reads every variable by its Django name", () => {
    const settings = parseSettings(
      {
        SECRET_KEY: STRONG_KEY,
        SESSION_ENGINE: "cache",
        SESSION_COOKIE_NAME: "__Host-memorial",
        SESSION_COOKIE_AGE: "3600",
        SESSION_COOKIE_SECURE: "yes",
        SESSION_COOKIE_HTTPONLY: "0",
        SESSION_COOKIE_SAMESITE: "strict",
        SESSION_SAVE_EVERY_REQUEST: "TRUE",
        SESSION_EXPIRE_AT_BROWSER_CLOSE: "on",
        SESSION_FILE_PATH: "/var/sessions",
        SESSION_CACHE_ALIAS: "Sessions",
        SECRET_KEY_FALLBACKS: " old-one , older-one ,",
        CACHE_SESSIONS_URL: "redis://127.0.0.1:6390/2",
        CACHE_DEFAULT_URL: "memcached://127.0.0.1:11299",
        CACHE_CLUSTER_URL: "redis+cluster://127.0.0.1:7000,127.0.0.1:7001",
        DATABASE_URL: "postgres://evermore:pw@db.internal/evermore",
      },
      cwd,
    );
    expect(settings).toMatchObject({
      SESSION_ENGINE: "cache",
      SESSION_COOKIE_NAME: "__Host-memorial",
      SESSION_COOKIE_AGE: 3600,
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SAMESITE: "Strict",
      SESSION_SAVE_EVERY_REQUEST: true,
      SESSION_EXPIRE_AT_BROWSER_CLOSE: true,
      SESSION_FILE_PATH: "/var/sessions",
      SESSION_CACHE_ALIAS: "sessions",
      SECRET_KEY_FALLBACKS: ["old-one", "older-one"],
      CACHES: {
        sessions: "redis://127.0.0.1:6390/2",
        default: "memcached://127.0.0.1:11299",
        cluster: "redis+cluster://127.0.0.1:7000,127.0.0.1:7001",
      },
      DATABASE_URL: "postgres://evermore:pw@db.internal/evermore",
    });
  });

  it("reads SESSION_MAX_SIZE in bytes, and refuses a cap outside 1 KiB to 8 MiB by name", () => {
    expect(
      parseSettings({ SECRET_KEY: STRONG_KEY, SESSION_MAX_SIZE: " 65536 " }, cwd),
    ).toMatchObject({ SESSION_MAX_SIZE: 65536 });
    for (const bad of ["256k", "1023", "8388609", "-1", "1e6"]) {
      expect(problemsOf({ SECRET_KEY: STRONG_KEY, SESSION_MAX_SIZE: bad })).toEqual([
        expect.stringMatching(/^SESSION_MAX_SIZE: /),
      ]);
    }
  });

  it("makes cookies Secure by default in production, unless told otherwise", () => {
    const production = {
      NODE_ENV: "production",
      SECRET_KEY: STRONG_KEY,
      // Production sends email, and needs its links' origin (lib/mail/settings.test.ts).
      EMAIL_HOST: "smtp.example.com",
      SITE_URL: "https://evermore.example",
    };
    expect(parseSettings(production, cwd).SESSION_COOKIE_SECURE).toBe(true);
    expect(
      parseSettings({ ...production, SESSION_COOKIE_SECURE: "false" }, cwd).SESSION_COOKIE_SECURE,
    ).toBe(false);
  });

  it("reports every bad variable at once, one line each, by name", () => {
    const problems = problemsOf({
      SECRET_KEY: STRONG_KEY,
      SESSION_COOKIE_AGE: "two weeks",
      SESSION_COOKIE_SECURE: "maybe",
      SESSION_COOKIE_SAMESITE: "sometimes",
      SESSION_COOKIE_PATH: "sessions",
      SESSION_COOKIE_NAME: "my session",
      CACHE_DEFAULT_URL: "http://cache",
      DATABASE_URL: "mysql://localhost/evermore",
      NODE_ENV: "staging",
    });
    expect(problems).toHaveLength(8);
    const names = problems.map((line) => line.split(":")[0]);
    expect(names.sort()).toEqual(
      [
        "CACHE_DEFAULT_URL",
        "DATABASE_URL",
        "NODE_ENV",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_PATH",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE",
      ].sort(),
    );
    expect(problems).toContain(
      'SESSION_COOKIE_AGE: expected a whole number of seconds, got "two weeks"',
    );
  });

  it("knows the json serializer by name and no other", () => {
    expect(problemsOf({ SECRET_KEY: STRONG_KEY, SESSION_SERIALIZER: "pickle" })).toEqual([
      'SESSION_SERIALIZER: expected "json", the one serializer known by name, got "pickle"',
    ]);
  });

  it("puts every problem in the error message", () => {
    expect(() =>
      parseSettings({ SESSION_COOKIE_AGE: "-5", SESSION_COOKIE_HTTPONLY: "x" }, cwd),
    ).toThrow(/SESSION_COOKIE_AGE: .*\n.*SESSION_COOKIE_HTTPONLY: /);
  });

  it("refuses combinations that browsers would silently drop", () => {
    const base = { SECRET_KEY: STRONG_KEY };
    expect(problemsOf({ ...base, SESSION_COOKIE_SAMESITE: "None" })).toEqual([
      "SESSION_COOKIE_SAMESITE: None is refused by browsers unless SESSION_COOKIE_SECURE=true",
    ]);
    expect(
      problemsOf({
        ...base,
        SESSION_COOKIE_NAME: "__Host-id",
        SESSION_COOKIE_DOMAIN: "example.org",
      }),
    ).toEqual([
      "SESSION_COOKIE_NAME: a __Host- cookie requires SESSION_COOKIE_SECURE=true",
      "SESSION_COOKIE_NAME: a __Host- cookie must not set SESSION_COOKIE_DOMAIN",
    ]);
  });

  it("requires the cache alias that a cache engine uses", () => {
    expect(problemsOf({ SECRET_KEY: STRONG_KEY, SESSION_ENGINE: "cached_db" })).toEqual([
      'SESSION_CACHE_ALIAS: the cached_db engine uses cache "default", but CACHE_DEFAULT_URL is not set',
    ]);
  });

  it("says only what is wrong with a bad cache URL, not also that it is missing", () => {
    expect(
      problemsOf({
        SECRET_KEY: STRONG_KEY,
        SESSION_ENGINE: "cache",
        CACHE_DEFAULT_URL: "http://cache",
      }).map((line) => line.split(":")[0]),
    ).toEqual(["CACHE_DEFAULT_URL"]);
    // Combinations wait until every variable is valid on its own.
    const withBadDatabase = { SECRET_KEY: STRONG_KEY, SESSION_COOKIE_SAMESITE: "None" };
    expect(
      problemsOf({ ...withBadDatabase, DATABASE_URL: "mysql://db/x" }).map((l) => l.split(":")[0]),
    ).toEqual(["DATABASE_URL"]);
  });

  it("never prints a password from a URL", () => {
    const problems = problemsOf({
      SECRET_KEY: STRONG_KEY,
      DATABASE_URL: "mysql://app:hunter2@db/x",
    });
    expect(problems.join("\n")).not.toContain("hunter2");
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  it("counts the proxies whose X-Forwarded-For entries are trusted, none by default", () => {
    expect(parseSettings({ SECRET_KEY: STRONG_KEY }, cwd).TRUSTED_PROXY_HOPS).toBe(0);
    expect(
      parseSettings({ SECRET_KEY: STRONG_KEY, TRUSTED_PROXY_HOPS: " 2 " }, cwd).TRUSTED_PROXY_HOPS,
    ).toBe(2);
  });

  it.each(["one", "-1", "1.5", "11"])("refuses %j at start-up, by name", (value) => {
    const [problem, ...rest] = problemsOf({ SECRET_KEY: STRONG_KEY, TRUSTED_PROXY_HOPS: value });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^TRUSTED_PROXY_HOPS: expected .* proxies/);
    expect(problem).toContain(`got "${value}"`);
  });
});

describe("SECRET_KEY_FALLBACKS", () => {
  it("must each be as strong as SECRET_KEY in production, and the error never shows them", () => {
    const problems = problemsOf({
      NODE_ENV: "production",
      SECRET_KEY: STRONG_KEY,
      SECRET_KEY_FALLBACKS: `${STRONG_KEY}x, old-and-short, ${"ab".repeat(30)}`,
    });
    expect(problems).toEqual([
      "SECRET_KEY_FALLBACKS: entry 2 is too weak for production: it is 13 characters long; use at least 50",
      "SECRET_KEY_FALLBACKS: entry 3 is too weak for production: it has fewer than 5 distinct characters",
    ]);
    expect(problems.join()).not.toContain("old-and-short");
  });

  it("are not judged outside production, where keys are anyone's", () => {
    const env = { SECRET_KEY: STRONG_KEY, SECRET_KEY_FALLBACKS: "short" };
    expect(parseSettings(env, cwd).SECRET_KEY_FALLBACKS).toEqual(["short"]);
  });
});

describe("SECRET_KEY", () => {
  it("is required in production", () => {
    expect(problemsOf({ NODE_ENV: "production" })).toEqual([
      "SECRET_KEY: required in production (50+ random characters)",
    ]);
  });

  it("must be strong in production, and the error never shows it", () => {
    const problems = problemsOf({ NODE_ENV: "production", SECRET_KEY: "django-insecure-short" });
    expect(problems).toEqual([
      "SECRET_KEY: too weak for production: it is 21 characters long; use at least 50",
    ]);
    expect(problems.join()).not.toContain("django-insecure-short");
    expect(problemsOf({ NODE_ENV: "production", SECRET_KEY: "ab".repeat(30) })).toEqual([
      "SECRET_KEY: too weak for production: it has fewer than 5 distinct characters",
    ]);
  });

  it("is generated once in development, kept in a private file, and reused", () => {
    const first = parseSettings({}, cwd).SECRET_KEY;
    const file = path.join(cwd, "data", "secret-key");
    expect(first).toMatch(/^[a-z0-9!@#%^&*(\-_=+)]{50}$/);
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("SECRET_KEY is not set"));
    expect(parseSettings({}, cwd).SECRET_KEY).toBe(first);
    expect(console.warn).toHaveBeenCalledTimes(1);
  });

  it("is a fresh random key for every new development checkout", () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-settings-"));
    try {
      expect(parseSettings({}, cwd).SECRET_KEY).not.toBe(parseSettings({}, other).SECRET_KEY);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
