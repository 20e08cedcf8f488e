import { describe, expect, it } from "vitest";
import { registerSessionEngine } from "../engine";
import { SessionStore as MemoryStore } from "../testing/memory-engine";
import { withSession } from "./route-handler";
import { afterCommit, getSession } from "./session";

// The configured engine (db by default), kept in memory for these tests.
registerSessionEngine("db", MemoryStore);

const request = (cookie?: string) =>
  new Request("http://127.0.0.1/visit", { headers: cookie ? { cookie } : {} });

/** A handler that changes the session, defers a task that records itself, then answers `status`. */
function deferring(ran: string[], status = 200, before?: () => Promise<void>) {
  return withSession(async () => {
    const session = await getSession();
    await session.set("photos", []);
    afterCommit(async () => {
      ran.push("task");
    });
    await before?.();
    return new Response(null, { status });
  });
}

describe("afterCommit", () => {
  it("runs a deferred task once the session is saved", async () => {
    const ran: string[] = [];
    const response = await deferring(ran)(request(), {});
    expect(response.headers.get("set-cookie")).toMatch(/^sessionid=\w+;/);
    expect(ran).toEqual(["task"]);
  });

  it("never runs it when the save fails: the session was deleted meanwhile (a 400)", async () => {
    const setUp = new MemoryStore();
    await setUp.set("photos", ["a"]);
    await setUp.save();
    const key = setUp.sessionKey!;
    const ran: string[] = [];
    const response = await deferring(ran, 200, async () => {
      await (await getSession()).keys();
      await new MemoryStore(key).destroy(); // a logout in another tab, while this request runs
    })(request(`sessionid=${key}`), {});
    expect(response.status).toBe(400);
    expect(ran).toEqual([]);
  });

  it("never runs it when the handler answers 5xx, which saves nothing", async () => {
    const ran: string[] = [];
    await deferring(ran, 503)(request(), {});
    expect(ran).toEqual([]);
  });

  it("keeps running the rest when one task throws, and logs without the error's text", async () => {
    const ran: string[] = [];
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const handler = withSession(async () => {
        await (await getSession()).set("photos", []);
        afterCommit(async () => {
          throw new Error("disk gone, key abcdefgh12345678");
        });
        afterCommit(async () => {
          ran.push("second");
        });
        return new Response(null, { status: 303 });
      });
      expect((await handler(request(), {})).status).toBe(303);
    } finally {
      console.error = original;
    }
    expect(ran).toEqual(["second"]);
    expect(errors).toEqual([
      ["lib/sessions: a task deferred until the session's commit failed (Error)"],
    ]);
  });

  it("refuses to be called outside a committed request", () => {
    expect(() => afterCommit(async () => {})).toThrow(
      /inside a Route Handler wrapped with withSession/,
    );
  });
});
