import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as visit } from "../../app/how-it-works/expiry/visit/route";
import type { SessionData } from "../sessions/base";
import { registerSessionEngine } from "../sessions/engine";
import { SessionStore, SIGNED_COOKIES_SALT } from "../sessions/engines/signed-cookies";
import { dumps } from "../sessions/signing";
import { settings } from "../settings";

// The configured engine (db by default) is the signed cookie here: the one a visit can overfill.
registerSessionEngine("db", SessionStore);

/** A genuine cookie for `data`, signed as the engine would but without its size check. */
const cookieHolding = (data: SessionData) =>
  dumps(data, { key: settings().SECRET_KEY, salt: SIGNED_COOKIES_SALT, compress: true });

const request = (cookie: string) =>
  new Request("http://127.0.0.1/how-it-works/expiry/visit", {
    headers: { cookie: `sessionid=${encodeURIComponent(cookie)}` },
  });

const demo = { lifetime: "default", savedAt: "2026-11-30T12:00:00.000Z", sentCookie: "Path=/" };

describe("the expiry demo's visit, with a cookie engine", () => {
  it("saves the visit and sends the cookie again when it fits", async () => {
    const response = await visit(request(cookieHolding({ "howItWorks.expiry": demo })));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/how-it-works/expiry");
    expect(response.headers.get("set-cookie")).toMatch(/^sessionid=/);
  });

  it("answers a session that no longer fits in its cookie with the page's message, not an error", async () => {
    // Random text does not compress: the saved visit cannot fit under 4096 bytes.
    const full = { "howItWorks.expiry": demo, filler: randomBytes(3300).toString("base64") };
    const response = await visit(request(cookieHolding(full)));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/how-it-works/expiry?problem=session-full");
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});
