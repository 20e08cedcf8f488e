import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const NEXT_CLI = "node_modules/next/dist/bin/next";

/** Starts the production build with an environment and collects what it says until it exits. */
function startServer(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Node runs Next's CLI directly (not through npx), so the kill below reaches the server itself.
    const child = spawn(
      process.execPath,
      [NEXT_CLI, "start", "--hostname", "127.0.0.1", "--port", "0"],
      { env: { ...process.env, ...env } },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
    // A server that keeps running has accepted the settings: stop it and let the test fail.
    setTimeout(() => child.kill("SIGTERM"), 20_000).unref();
  });
}

test("the server refuses to start on a bad environment, naming every bad variable", async () => {
  const { code, output } = await startServer({
    NODE_ENV: "production",
    SECRET_KEY: "",
    SESSION_COOKIE_AGE: "two weeks",
    SESSION_COOKIE_SAMESITE: "sometimes",
  });
  expect(code).toBe(1);
  expect(output).toContain("evermore: invalid settings (fix these environment variables):");
  expect(output).toContain(
    'SESSION_COOKIE_AGE: expected a whole number of seconds, got "two weeks"',
  );
  expect(output).toContain("SESSION_COOKIE_SAMESITE: expected Lax, Strict, None or false");
  expect(output).toContain("SECRET_KEY: required in production");
  expect(output).not.toMatch(/^\s+at /m);
});

test("the server refuses to start when the file engine has no directory to write to", async () => {
  const { code, output } = await startServer({
    SESSION_ENGINE: "file",
    SESSION_FILE_PATH: "/nonexistent/evermore-sessions",
  });
  expect(code).toBe(1);
  expect(output).toContain("SESSION_FILE_PATH: /nonexistent/evermore-sessions does not exist");
  expect(output).not.toMatch(/^\s+at /m);
});

test("the server refuses to start with an engine it does not know", async () => {
  const { code, output } = await startServer({ SESSION_ENGINE: "nosuchengine" });
  expect(code).toBe(1);
  expect(output).toContain('SESSION_ENGINE: "nosuchengine" is neither a built-in engine');
  expect(output).not.toMatch(/^\s+at /m);
});

test("the server refuses to start on a database not yet migrated, saying what to run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-unmigrated-"));
  try {
    const { code, output } = await startServer({
      DATABASE_URL: `file:${path.join(dir, "new.db")}`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/evermore: the database at file:\S+new\.db lacks \d+ of its migrations/);
    expect(output).toContain("run `npm run db:migrate` with this DATABASE_URL");
    expect(output).not.toMatch(/^\s+at /m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
