import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { randomSessionKey } from "../../lib/sessions/base";
import { findLeaks, findLeaksInDirectory } from "./log-scan";

describe("the log scan of npm test", () => {
  it("finds a session key, masked, and says where", () => {
    const key = randomSessionKey();
    const leaks = findLeaks(`starting\nloaded session ${key} for user 7\n`, [], "server.log");
    expect(leaks).toEqual([
      { file: "server.log", line: 2, what: `a session key ${key.slice(0, 4)}…` },
    ]);
    expect(JSON.stringify(leaks)).not.toContain(key);
  });

  it("finds a secret without repeating it", () => {
    const secret = "a-secret-key-that-must-never-be-printed-0123456789";
    const leaks = findLeaks(`SECRET_KEY=${secret}`, ["other", secret]);
    expect(leaks).toEqual([{ file: "output", line: 1, what: "secret #2" }]);
  });

  it("leaves fingerprints, digests and ordinary words alone", () => {
    const text = [
      "sessions.security: Session data corrupted [session 61933c7e7359c4b3]",
      "sha: 0123456789abcdef0123456789abcdef",
      "tests: 1769 passed, 0 failed, 0 skipped",
      "a-very-long-hyphenated-name-of-a-test-that-goes-on",
    ].join("\n");
    expect(findLeaks(text, ["not-there"])).toEqual([]);
  });

  it("scans the .log files of a directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-log-scan-"));
    try {
      fs.writeFileSync(path.join(dir, "next-start-1.log"), `cookie ${randomSessionKey()}\n`);
      fs.writeFileSync(path.join(dir, "notes.txt"), `cookie ${randomSessionKey()}\n`);
      expect(findLeaksInDirectory(dir, [])).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
