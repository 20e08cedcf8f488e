import { describe, expect, it } from "vitest";
import { authHashMatches, sessionAuthHash } from "./auth-hash";

const user = { passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", sessionEpoch: 0 };

describe("the session auth hash", () => {
  it("matches under the key that made it", () => {
    expect(authHashMatches(sessionAuthHash(user, "current"), user, ["current"])).toBe(true);
  });

  it("changes with the password and with the epoch (log out other devices)", () => {
    const stored = sessionAuthHash(user, "current");
    expect(authHashMatches(stored, { ...user, passwordHash: "other" }, ["current"])).toBe(false);
    expect(authHashMatches(stored, { ...user, sessionEpoch: 1 }, ["current"])).toBe(false);
  });

  it("still matches under a retired key while it is a fallback, and not once it is removed", () => {
    const stored = sessionAuthHash(user, "retired");
    expect(authHashMatches(stored, user, ["current", "retired"])).toBe(true);
    expect(authHashMatches(stored, user, ["current"])).toBe(false);
  });

  it("refuses what is not a hash", () => {
    for (const stored of [undefined, null, 42, "", "abc", {}]) {
      expect(authHashMatches(stored, user, ["current"])).toBe(false);
    }
  });
});
