import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { SessionStoreClass } from "@/lib/sessions";
import { SessionStore as FileStore } from "@/lib/sessions/engines/file";
import { SessionStore as SignedCookieStore } from "@/lib/sessions/engines/signed-cookies";
import { withSettings } from "@/lib/sessions/testing/contract";
import { flushAndProve, oldKeyIsDead, readProof, signProof } from "./flush-proof";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-flush-proof-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const Files = withSettings(FileStore, { SESSION_FILE_PATH: dir });
const secret = "flush-proof-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

async function savedSession(Store: SessionStoreClass) {
  const session = new Store();
  await session.update({ visitorName: "Ada", favouriteToy: "the squeaky hedgehog" });
  await session.save();
  return new Store(session.sessionKey);
}

describe("flushAndProve", () => {
  it("finds nothing left under the old key of a stored session", async () => {
    const session = await savedSession(Files);
    const key = session.sessionKey!;
    const proof = await flushAndProve(session, Files);
    expect(proof).toEqual({
      oldKey: `${key.slice(0, 4)}…${key.slice(-4)}`,
      valuesBefore: 2,
      recordExists: false,
      valuesUnderOldKey: 0,
    });
    expect(oldKeyIsDead(proof)).toBe(true);
    expect(session.sessionKey).toBeNull();
    expect(await new Files(key).keys()).toEqual([]);
  });

  it("shows that a cookie engine's old cookie still opens: nothing to revoke", async () => {
    const proof = await flushAndProve(await savedSession(SignedCookieStore), SignedCookieStore);
    expect(proof.valuesUnderOldKey).toBe(2);
    expect(oldKeyIsDead(proof)).toBe(false);
  });

  it("has nothing to prove for a visitor without a session", async () => {
    const proof = await flushAndProve(new Files(null), Files);
    expect(proof).toMatchObject({ oldKey: "none", valuesBefore: 0, recordExists: false });
  });
});

describe("the signed proof", () => {
  const proof = { oldKey: "abcd…wxyz", valuesBefore: 2, recordExists: false, valuesUnderOldKey: 0 };

  it("reads back what was signed", () => {
    expect(readProof(signProof(proof, secret), secret)).toEqual(proof);
  });

  it("is refused when tampered with, signed with another secret, or missing", () => {
    const signed = signProof(proof, secret);
    const forged = signProof({ ...proof, recordExists: true }, secret).split(":")[0];
    expect(readProof(`${forged}:${signed.split(":").slice(1).join(":")}`, secret)).toBeNull();
    expect(readProof(signProof(proof, `${secret}-other`), secret)).toBeNull();
    expect(readProof("not-a-proof", secret)).toBeNull();
    expect(readProof(undefined, secret)).toBeNull();
  });

  it("is refused after ten minutes", () => {
    vi.useFakeTimers({ now: new Date("2026-11-30T12:00:00Z"), toFake: ["Date"] });
    try {
      const signed = signProof(proof, secret);
      vi.setSystemTime(new Date("2026-11-30T12:11:00Z"));
      expect(readProof(signed, secret)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
