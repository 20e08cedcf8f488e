import { ENGINES, expect, serverFor, test } from "../session/fixtures";
import { parseSetCookie, isDeletion } from "../session/set-cookie";
import { storedSessions } from "../session/stored";
import { Visitor } from "../session/visitor";
import { randomCookieHeader, seededRandom } from "./fuzz";
import type { RawReply } from "./raw-http";
import { inParallel, rawGet } from "./raw-http";

/**
 * Hostile Cookie headers against `next start`: never a 5xx, never a record
 * created, never an attacker's key adopted. A bad cookie reads as an empty
 * session; a write under one gets a fresh key from the server.
 */
const HOSTILE: [string, Buffer][] = [
  ["empty", Buffer.from("sessionid=")],
  ["1 character", Buffer.from("sessionid=a")],
  ["7 characters", Buffer.from("sessionid=abcdefg")],
  ["unknown but well-formed", Buffer.from("sessionid=abcdefghijklmnopqrstuvwxyz012345")],
  ["path traversal ../", Buffer.from("sessionid=../../../../etc/passwd")],
  ["a slash", Buffer.from("sessionid=abcdefgh/ijklmnop")],
  ["a backslash", Buffer.from("sessionid=abcdefgh\\ijklmnop")],
  ["encoded traversal", Buffer.from("sessionid=..%2F..%2F..%2Fetc%2Fpasswd")],
  ["a NUL byte", Buffer.from("sessionid=abcdefgh\0ijklmnop")],
  ["full-width characters", Buffer.from("sessionid=ａｂｃｄｅｆｇｈ１２３４５６７８", "utf8")],
  ["overlong (41 key characters)", Buffer.from(`sessionid=${"a".repeat(41)}`)],
  ["overlong (4,000 characters)", Buffer.from(`sessionid=${"a".repeat(4000)}`)],
  ["control characters", Buffer.from("sessionid=abcdefgh\x01\x1b\x7fijkl")],
  ["broken percent-encoding", Buffer.from("sessionid=%E0%A4%Aabcdefgh%zz")],
  ["two session cookies, both unknown", Buffer.from("sessionid=aaaaaaaaaaaa; sessionid=../bbbb")],
  ["a 64 KB header", Buffer.from(`sessionid=${"a".repeat(64 * 1024)}`)],
];

/**
 * Every hostile header gets an answer below 500; only the 64 KB one may be
 * refused outright, Node closing the connection (with or without its 431).
 */
function expectRefusedOrAnswered(name: string, status: number) {
  if (name === "a 64 KB header") expect([0, 431]).toContain(status);
  else {
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
  }
}

/** The session cookies a reply sets that are not deletions: a key handed out. */
function keysHandedOut(reply: RawReply): string[] {
  return reply.setCookies
    .map(parseSetCookie)
    .filter((cookie) => cookie.name === "sessionid" && !isDeletion(cookie))
    .map((cookie) => cookie.value);
}

for (const engine of ENGINES) {
  test.describe(`hostile cookies with SESSION_ENGINE=${engine.name}`, () => {
    const server = serverFor(engine, {});

    for (const [name, header] of HOSTILE) {
      test(`${name}: no 5xx, no record, no key adopted`, async ({ services }) => {
        const before = await storedSessions(engine, server(), services);
        for (const path of ["/testing/session/read", "/"]) {
          const reply = await rawGet(server().url, path, header);
          expectRefusedOrAnswered(name, reply.status);
          expect(keysHandedOut(reply), path).toEqual([]);
        }
        expect(await storedSessions(engine, server(), services)).toBe(before);

        const write = await rawGet(server().url, "/testing/session/write", header);
        expectRefusedOrAnswered(name, write.status);
        const value = header.toString("latin1").slice("sessionid=".length);
        for (const key of keysHandedOut(write)) expect(key).not.toBe(value);
        if (write.status === 200 && !engine.inCookie)
          expect(keysHandedOut(write)[0]).toMatch(/^[a-z0-9]{32}$/);
      });
    }

    test("two session cookies: the first one counts, the second is ignored", async () => {
      const owner = new Visitor(server().url);
      await owner.get("/testing/session/write");
      const read = (header: string) =>
        rawGet(server().url, "/testing/session/read", Buffer.from(header));
      const first = await read(`sessionid=${owner.cookie}; sessionid=../../etc/passwd`);
      expect(JSON.parse(first.body)).toEqual({ visits: 1 });
      const second = await read(`sessionid=../../etc/passwd; sessionid=${owner.cookie}`);
      expect(JSON.parse(second.body)).toEqual({ visits: null });
      // A page (a Server Component) reads the same one: one request, one session.
      const page = (header: string) =>
        rawGet(server().url, "/testing/session", Buffer.from(header));
      const visits = (html: string) => /<output id="visits">([^<]*)<\/output>/.exec(html)?.[1];
      expect(visits((await page(`sessionid=${owner.cookie}; sessionid=x`)).body)).toBe("1");
      expect(visits((await page(`sessionid=x; sessionid=${owner.cookie}`)).body)).toBe("none");
    });
  });
}

test.describe("a fuzz run against the db engine", () => {
  const engine = ENGINES.find((candidate) => candidate.name === "db")!;
  const server = serverFor(engine, {});

  test("10,000 random Cookie headers: zero 5xx, zero records created", async ({ services }) => {
    test.setTimeout(600_000);
    const seed = Number(process.env.FUZZ_SEED || Date.now() % 2 ** 31);
    test.info().annotations.push({ type: "fuzz seed", description: String(seed) });
    const random = seededRandom(seed);
    const headers = Array.from({ length: 10_000 }, () => randomCookieHeader(random));
    const before = await storedSessions(engine, server(), services);
    const failures: string[] = [];
    let index = 0;
    await inParallel(headers, 20, async (header) => {
      const path = index++ % 2 === 0 ? "/testing/session/read" : "/";
      const reply = await rawGet(server().url, path, header);
      if (reply.status === 0 || reply.status >= 500 || keysHandedOut(reply).length > 0)
        failures.push(`${reply.status} ${path} ${JSON.stringify(header.toString("latin1"))}`);
    });
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(await storedSessions(engine, server(), services)).toBe(before);
  });

  test("10,000 unknown, well-formed keys: none adopted, no record created", async ({
    services,
  }) => {
    test.setTimeout(600_000);
    const keys = Array.from({ length: 10_000 }, () =>
      Array.from(
        { length: 32 },
        () => "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(Math.random() * 36)],
      ).join(""),
    );
    const before = await storedSessions(engine, server(), services);
    const failures: string[] = [];
    await inParallel(keys, 20, async (key) => {
      const reply = await rawGet(
        server().url,
        "/testing/session/read",
        Buffer.from(`sessionid=${key}`),
      );
      if (reply.status !== 200 || keysHandedOut(reply).length > 0)
        failures.push(`${reply.status} ${key}`);
    });
    expect(failures).toEqual([]);
    expect(await storedSessions(engine, server(), services)).toBe(before);
  });
});
