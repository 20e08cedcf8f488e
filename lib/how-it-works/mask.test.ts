import { describe, expect, it } from "vitest";
import { HIDDEN, maskData, maskKey, prettyData } from "./mask";

describe("maskKey", () => {
  it("shows four characters at each end of a 32-character key", () => {
    expect(maskKey("abcd0123456789012345678901234xyz")).toBe("abcd…4xyz");
  });

  it("never shows more than a quarter of a key", () => {
    for (const length of [8, 12, 16, 20, 31, 32, 40, 200]) {
      const shown = maskKey("k".repeat(length)).replace("…", "").length;
      expect(shown).toBeLessThanOrEqual(Math.min(8, length / 4));
    }
  });

  it("shows nothing of a key too short to mask", () => {
    expect(maskKey("abcdefg")).toBe("…");
  });

  it('says "none" when there is no key', () => {
    expect(maskKey(null)).toBe("none");
    expect(maskKey("")).toBe("none");
  });
});

describe("maskData", () => {
  it("hides the values of keys starting with _auth and keeps the rest", () => {
    const shown = maskData({
      _auth_user_id: "42",
      _auth_user_hash: "secret-hash",
      visitorName: "Ada",
      _session_expiry: 3600,
    });
    expect(shown).toEqual([
      ["_auth_user_hash", HIDDEN],
      ["_auth_user_id", HIDDEN],
      ["_session_expiry", 3600],
      ["visitorName", "Ada"],
    ]);
  });

  it("pretty-prints without the hidden values", () => {
    const text = prettyData({ _auth_user_hash: "secret-hash", toy: { name: "hedgehog" } });
    expect(text).not.toContain("secret-hash");
    expect(text).toContain('"name": "hedgehog"');
  });
});
