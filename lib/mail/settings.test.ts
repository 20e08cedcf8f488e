import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseSettings, SettingsError } from "../settings";

const STRONG_KEY = "k".repeat(20) + "0123456789abcdefghijklmnopqrstu!";
const PRODUCTION = { NODE_ENV: "production", SECRET_KEY: STRONG_KEY };

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-mail-settings-"));
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

describe("email settings", () => {
  it("have Django's defaults, and print to the console in development", () => {
    expect(parseSettings({ SECRET_KEY: STRONG_KEY }, cwd)).toMatchObject({
      EMAIL_BACKEND: "console",
      EMAIL_HOST: "localhost",
      EMAIL_PORT: 25,
      EMAIL_HOST_USER: "",
      EMAIL_HOST_PASSWORD: "",
      EMAIL_USE_TLS: false,
      EMAIL_USE_SSL: false,
      EMAIL_TIMEOUT: 10,
      DEFAULT_FROM_EMAIL: "webmaster@localhost",
      SITE_URL: "http://localhost:3000",
      PASSWORD_RESET_TIMEOUT: 259200,
    });
  });

  it("read every variable by its Django name", () => {
    const settings = parseSettings(
      {
        ...PRODUCTION,
        EMAIL_HOST: "smtp.example.com",
        EMAIL_PORT: "587",
        EMAIL_HOST_USER: "evermore",
        EMAIL_HOST_PASSWORD: "p4ss",
        EMAIL_USE_TLS: "yes",
        EMAIL_TIMEOUT: "3",
        DEFAULT_FROM_EMAIL: "Evermore <hello@evermore.example>",
        SITE_URL: "https://evermore.example/",
        PASSWORD_RESET_TIMEOUT: "3600",
      },
      cwd,
    );
    expect(settings).toMatchObject({
      EMAIL_BACKEND: "smtp",
      EMAIL_HOST: "smtp.example.com",
      EMAIL_PORT: 587,
      EMAIL_HOST_USER: "evermore",
      EMAIL_HOST_PASSWORD: "p4ss",
      EMAIL_USE_TLS: true,
      EMAIL_TIMEOUT: 3,
      DEFAULT_FROM_EMAIL: "Evermore <hello@evermore.example>",
      SITE_URL: "https://evermore.example",
      PASSWORD_RESET_TIMEOUT: 3600,
    });
  });

  it("in production, smtp needs EMAIL_HOST and every link needs SITE_URL, said at start-up", () => {
    expect(problemsOf(PRODUCTION)).toEqual([
      "EMAIL_HOST: required in production: the SMTP server that sends sign-up and reset emails (or EMAIL_BACKEND=console to print them instead)",
      "SITE_URL: required in production: the site's origin, the start of every link",
    ]);
    const printing = { ...PRODUCTION, EMAIL_BACKEND: "console", SITE_URL: "https://a.example" };
    expect(parseSettings(printing, cwd).EMAIL_BACKEND).toBe("console");
  });

  it("name each bad variable, and never repeat the password", () => {
    const problems = problemsOf({
      SECRET_KEY: STRONG_KEY,
      EMAIL_BACKEND: "carrier-pigeon",
      EMAIL_PORT: "99999",
      EMAIL_USE_TLS: "maybe",
      SITE_URL: "evermore.example/path",
      PASSWORD_RESET_TIMEOUT: "0",
    });
    expect(problems).toEqual([
      'EMAIL_BACKEND: expected smtp or console, got "carrier-pigeon"',
      'EMAIL_PORT: expected a port number from 1 to 65535, got "99999"',
      'EMAIL_USE_TLS: expected true or false (also 1/0, yes/no, on/off), got "maybe"',
      `SITE_URL: expected the site's origin, such as https://evermore.example, got "evermore.example/path"`,
      'PASSWORD_RESET_TIMEOUT: expected at least 1 second, got "0"',
    ]);
    const both = problemsOf({
      SECRET_KEY: STRONG_KEY,
      EMAIL_USE_TLS: "true",
      EMAIL_USE_SSL: "true",
      EMAIL_HOST_PASSWORD: "hunter2-secret",
    });
    expect(both).toEqual(["EMAIL_USE_TLS: set EMAIL_USE_TLS or EMAIL_USE_SSL, not both"]);
    expect(both.join("\n")).not.toContain("hunter2-secret");
  });
});
