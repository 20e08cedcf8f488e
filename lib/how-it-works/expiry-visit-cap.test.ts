import { describe, expect, it } from "vitest";
import { GET as visit } from "../../app/how-it-works/expiry/visit/route";
import { registerSessionEngine } from "../sessions/engine";
import { SessionStore as DbSessionStore } from "../sessions/engines/db";
import { withSettings } from "../sessions/testing/contract";
import { freshSqliteDatabase } from "../../test/harness/databases";
import { useFreshDatabase } from "../../test/harness/vitest-databases";

/**
 * The configured engine (db) with SESSION_MAX_SIZE at its least: a visit
 * whose note would take the session past the cap is answered on the demo's
 * page, and the stored session stays as it was.
 */
describe("the expiry demo's visit, with a session at the size cap", () => {
  const state = useFreshDatabase(freshSqliteDatabase);
  const demo = { lifetime: "default", savedAt: "2026-11-30T12:00:00.000Z", sentCookie: "Path=/" };

  it("answers with the page's size-cap message, sets no cookie, and keeps the stored session", async () => {
    const Store = withSettings(DbSessionStore, {
      DATABASE_URL: state.database.url,
      SESSION_MAX_SIZE: 1024,
    });
    registerSessionEngine("db", Store);
    const full = new Store();
    await full.update({ "howItWorks.expiry": demo, filler: "x".repeat(900) });
    await full.save();
    const before = await new Store(full.sessionKey).items();

    const response = await visit(
      new Request("http://127.0.0.1/how-it-works/expiry/visit", {
        headers: { cookie: `sessionid=${full.sessionKey}` },
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/how-it-works/expiry?problem=session-too-large");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await new Store(full.sessionKey).items()).toEqual(before);
  });
});
