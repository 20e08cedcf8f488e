import http from "node:http";
import { openDatabase } from "../../lib/db/client";
import { ACTION_BODY_LIMIT_BYTES } from "../../lib/oversized-action";
import { ENGINES, expect, serverFor, test } from "./session/fixtures";
import { isDeletion, maxAge, parseSetCookie } from "./session/set-cookie";
import { Visitor } from "./session/visitor";

/**
 * The response headers of `next start` (production), over HTTP: the
 * security headers on every kind of response, `Vary: Cookie` on every
 * response that sets or deletes the session cookie (Server Actions
 * included), `Clear-Site-Data` on logout, the image optimizer gone, and a
 * form post sent in chunks over 1 MB answered with the 413 page.
 */
const db = ENGINES.find((engine) => engine.name === "db")!;

const STATIC_HEADERS = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};

const varyFields = (headers: Headers) =>
  (headers.get("vary") ?? "").split(",").map((field) => field.trim().toLowerCase());

/** The name form's hidden action field, from the home page. */
async function nameFormField(baseUrl: string): Promise<string> {
  const page = await (await fetch(baseUrl)).text();
  const field = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page)?.[1];
  expect(field, "the name form's action field").toBeTruthy();
  return field!;
}

interface ChunkedReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * The home page's name form posted by node:http in 64 KB chunks with no
 * Content-Length, as `Transfer-Encoding: chunked`: what a hand-made client
 * sends, and what no browser form does.
 */
function postNameInChunks(baseUrl: string, field: string, name: string): Promise<ChunkedReply> {
  const boundary = `----evermore${Date.now()}`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n` +
      `--${boundary}--\r\n`,
  );
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname,
        port,
        path: "/",
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text }),
        );
      },
    );
    request.on("error", reject);
    for (let at = 0; at < body.length; at += 65_536) request.write(body.subarray(at, at + 65_536));
    request.end();
  });
}

test.describe("security headers", () => {
  const server = serverFor(db, {});

  test("every page carries a nonced CSP that its scripts match, and the security headers", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/memorials", "/login", "/signup", "/how-it-works/expiry", "/nope"]) {
      const response = await fetch(server().url + path);
      for (const [name, value] of Object.entries(STATIC_HEADERS))
        expect(response.headers.get(name), `${path}: ${name}`).toBe(value);
      const policy = response.headers.get("content-security-policy")!;
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).not.toContain("unsafe-inline");
      expect(policy, path).not.toContain("unsafe-eval");
      const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
      nonces.add(nonce);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size, "a fresh nonce per page").toBe(6);
  });

  test("Route Handlers and static files carry the security headers too", async () => {
    const html = await (await fetch(server().url)).text();
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)![1]!;
    for (const path of ["/healthz", script, "/memorial-photos/nothing"]) {
      const response = await fetch(server().url + path);
      for (const [name, value] of Object.entries(STATIC_HEADERS))
        expect(response.headers.get(name), `${path}: ${name}`).toBe(value);
    }
  });

  test("the session's own error pages allow nothing but their style", async () => {
    const response = await fetch(`${server().url}/session-unavailable`);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; .*frame-ancestors 'none'$/,
    );
  });

  test("the image optimizer is off: /_next/image serves nothing", async () => {
    const visitor = new Visitor(server().url);
    const photo = { id: "photo01", width: 1, height: 1, alt: "Rex" };
    const draft = {
      ...{ id: "draft01", name: "Rex", species: "", born: null, died: null, epitaph: "" },
      ...{ photos: [photo], stories: [], updatedAt: "2026-01-01" },
    };
    const put = await visitor.request("/testing/drafts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([draft]),
    });
    expect(put.status).toBe(200);
    expect((await visitor.get("/memorials/draft01/photos/photo01")).status).toBe(200);
    for (const url of ["/memorials/draft01/photos/photo01", "/"]) {
      const reply = await visitor.get(`/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`);
      expect(reply.status, url).toBe(404);
      expect(reply.headers.get("content-type") ?? "", url).not.toMatch(/^image\//);
    }
  });

  test("a form post over 1 MB sent in chunks, with no Content-Length: the 413 page, nothing saved", async () => {
    const field = await nameFormField(server().url);
    const reply = await postNameInChunks(
      server().url,
      field,
      "A".repeat(ACTION_BODY_LIMIT_BYTES + 1),
    );
    expect(reply.status).toBe(413);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.headers["set-cookie"]).toBeUndefined();
    expect(reply.body).toContain("That was more than a form can send");
    expect(reply.body).toContain('<a href="/">Go back</a>');
  });

  test("an ordinary form post sent in chunks still reaches its action", async () => {
    const field = await nameFormField(server().url);
    const reply = await postNameInChunks(server().url, field, "Ada");
    expect(reply.status).toBe(303);
    const cookie = parseSetCookie(reply.headers["set-cookie"]![0]!);
    const visitor = new Visitor(server().url);
    visitor.cookie = cookie.value;
    expect((await visitor.getPage("/")).text).toMatch(/Hello, (<!-- -->)?Ada</);
  });
});

test.describe("Vary: Cookie and Clear-Site-Data", () => {
  const server = serverFor(db, {});

  test("a Server Action posted without JavaScript that sets the cookie varies on Cookie", async () => {
    const field = await nameFormField(server().url);
    const form = new FormData();
    form.set(field, "");
    form.set("name", "Ada");
    const reply = await new Visitor(server().url).request("/", { method: "POST", body: form });
    expect(reply.status).toBe(303);
    expect(reply.sessionCookie).not.toBeNull();
    expect(varyFields(reply.headers)).toContain("cookie");
  });

  test("a Server Action called by the client router that sets the cookie varies on Cookie", async ({
    page,
  }) => {
    await page.goto(`${server().url}/testing/session`);
    await page.waitForFunction(() => "next" in window);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Count a visit" }).click(),
    ]);
    expect(await response.headerValue("next-action")).toBeNull();
    expect(await response.request().headerValue("next-action")).toBeTruthy();
    const cookies = (await response.headersArray()).filter(
      ({ name, value }) => name.toLowerCase() === "set-cookie" && value.startsWith("sessionid="),
    );
    expect(cookies).toHaveLength(1);
    const vary = (await response.headerValue("vary")) ?? "";
    expect(vary.split(",").map((field) => field.trim().toLowerCase())).toContain("cookie");
  });

  for (const [what, path, location] of [
    ["the header's logout", "/logout", /^\/$/],
    ["the demo's flush", "/how-it-works/logout/flush", /^\/how-it-works\/logout\?proof=/],
  ] as const) {
    test(`${what} deletes the cookie, varies on Cookie and clears the site's cache`, async () => {
      const visitor = new Visitor(server().url);
      await visitor.get("/testing/session/write");
      const reply = await visitor.request(path, {
        method: "POST",
        headers: { origin: server().url, "sec-fetch-site": "same-origin" },
      });
      expect(reply.status).toBe(303);
      expect(reply.headers.get("location")).toMatch(location);
      expect(reply.headers.get("clear-site-data")).toBe('"cache"');
      expect(isDeletion(reply.sessionCookie!)).toBe(true);
      expect(varyFields(reply.headers)).toContain("cookie");
      expect((await visitor.state()).items).toEqual({});
    });
  }

  test("a logout posted from another site is refused, and the session stays", async () => {
    const visitor = new Visitor(server().url);
    await visitor.get("/testing/session/write");
    const hostile: Record<string, string>[] = [
      { origin: "https://elsewhere.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of hostile) {
      const reply = await visitor.request("/logout", { method: "POST", headers });
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(reply.sessionCookie).toBeNull();
      expect(reply.headers.get("clear-site-data")).toBeNull();
    }
    expect((await visitor.state()).items).toEqual({ visits: 1 });
  });
});

test.describe("SESSION_SAVE_EVERY_REQUEST and pages", () => {
  const AGE = 60;
  const server = serverFor(db, {
    SESSION_SAVE_EVERY_REQUEST: "true",
    SESSION_COOKIE_AGE: String(AGE),
  });

  test("a page whose session the proxy refreshed varies on Cookie", async () => {
    const visitor = new Visitor(server().url);
    await visitor.get("/testing/session/write");
    const reply = await visitor.getPage("/testing/session");
    expect(maxAge(reply.sessionCookie!)).toBe(AGE);
    expect(varyFields(reply.headers)).toContain("cookie");
  });

  test("a page that fails with a 500 has had its session saved unchanged, the expiry slid", async () => {
    const visitor = new Visitor(server().url);
    await visitor.get("/testing/session/write");
    const key = visitor.cookie!;
    const stored = async () => {
      const database = openDatabase(`file:${server().databaseFile}`);
      try {
        return await database.session.findUniqueOrThrow({ where: { sessionKey: key } });
      } finally {
        await database.$disconnect();
      }
    };
    const before = await stored();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const reply = await visitor.getPage("/testing/session?fail=1");
    expect(reply.status).toBe(500);
    // What the README says is saved: the same session, its data as it was, a full age again,
    // and the cookie sent again with it.
    const after = await stored();
    expect(after.expireDate.getTime() - before.expireDate.getTime()).toBeGreaterThanOrEqual(2000);
    expect(reply.sessionCookie?.value).toBe(key);
    expect(maxAge(reply.sessionCookie!)).toBe(AGE);
    expect(varyFields(reply.headers)).toContain("cookie");
    expect((await visitor.state()).items).toEqual({ visits: 1 });
  });
});
