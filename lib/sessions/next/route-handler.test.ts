import { describe, expect, it } from "vitest";
import type { Json } from "../base";
import { registerSessionEngine } from "../engine";
import { SessionStore as MemoryStore } from "../testing/memory-engine";
import { withSession } from "./route-handler";
import { getSession } from "./session";

// The configured engine (db by default), kept in memory for these tests.
registerSessionEngine("db", MemoryStore);

const request = () => new Request("http://127.0.0.1/visit");

/** A handler that counts a visit, then answers with `respond()`. */
const counting = (respond: () => Response) =>
  withSession(async () => {
    await (await getSession()).set("visits", 1);
    return respond();
  });

describe("withSession's response", () => {
  it("is the handler's own response, with the cookie and Vary added", async () => {
    const original = Response.json({ ok: true });
    const response = await counting(() => original)(request(), {});
    expect(response).toBe(original);
    expect(response.headers.get("set-cookie")).toMatch(/^sessionid=\w+;/);
    expect(response.headers.get("vary")).toBe("Cookie");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("is a copy when the handler's headers are immutable (Response.redirect)", async () => {
    const response = await counting(() => Response.redirect("http://127.0.0.1/done", 303))(
      request(),
      {},
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://127.0.0.1/done");
    expect(response.headers.get("set-cookie")).toMatch(/^sessionid=\w+;/);
    expect(response.headers.get("cache-control")).toBe("private");
  });
});

describe("withSession, when another request changed the session meanwhile", () => {
  it("answers 409 and saves nothing when the change no longer fits with the other's", async () => {
    const stored = new MemoryStore();
    await stored.set("pets", ["Biscuit"]);
    await stored.save();
    const key = stored.sessionKey!;
    const atMostTwo = (pet: string) => (current: Json | undefined) => {
      const pets = Array.isArray(current) ? current : [];
      if (pets.length >= 2) throw new RangeError("two pets at most");
      return [...pets, pet];
    };
    const handler = withSession(async () => {
      await (await getSession()).alter("pets", atMostTwo("Mog"));
      // Another tab's request saves its own second pet first.
      const other = new MemoryStore(key);
      await other.alter("pets", atMostTwo("Pip"));
      await other.save();
      return new Response("added");
    });
    const response = await handler(
      new Request("http://127.0.0.1/pets", { headers: { cookie: `sessionid=${key}` } }),
      {},
    );
    expect(response.status).toBe(409);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain("Your change crossed with another one");
    expect(await new MemoryStore(key).get("pets")).toEqual(["Biscuit", "Pip"]);
  });
});
