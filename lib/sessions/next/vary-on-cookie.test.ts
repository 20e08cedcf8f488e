import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setsCookie, varyOnSessionCookie } from "./vary-on-cookie";

/**
 * A real HTTP server whose handlers write their heads the ways Next.js and
 * Node do: headers set one by one and sent implicitly, or passed to writeHead.
 */
const handlers: Record<string, (response: http.ServerResponse) => void> = {
  "/implicit": (response) => {
    response.setHeader("Vary", "rsc, next-router-state-tree");
    response.setHeader("Set-Cookie", ["theme=dark; Path=/", "sessionid=abc; Path=/; HttpOnly"]);
    response.end("ok");
  },
  "/deletion": (response) => {
    response.setHeader("Set-Cookie", 'sessionid=""; Max-Age=0; Path=/');
    response.end("ok");
  },
  "/write-head": (response) => {
    response.writeHead(303, { Location: "/", "set-cookie": "sessionid=abc; Path=/", vary: "rsc" });
    response.end();
  },
  "/other-cookie": (response) => {
    response.setHeader("Set-Cookie", "sessionidx=1; Path=/");
    response.setHeader("Vary", "Accept-Encoding");
    response.end("ok");
  },
  "/star": (response) => {
    response.setHeader("Vary", "*");
    response.setHeader("Set-Cookie", "sessionid=abc; Path=/");
    response.end("ok");
  },
  "/already": (response) => {
    response.setHeader("Vary", "Cookie");
    response.setHeader("Set-Cookie", "sessionid=abc; Path=/");
    response.end("ok");
  },
};

let server: http.Server;
let base: string;

beforeAll(async () => {
  varyOnSessionCookie("sessionid");
  varyOnSessionCookie("sessionid"); // a second start-up hook changes nothing
  server = http.createServer((request, response) => handlers[request.url!]!(response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const vary = async (path: string) =>
  (await fetch(base + path, { redirect: "manual" })).headers.get("vary");

describe("varyOnSessionCookie", () => {
  it("adds Cookie to the Vary of a response that sets the session cookie, keeping the rest", async () => {
    expect(await vary("/implicit")).toBe("rsc, next-router-state-tree, Cookie");
  });

  it("adds it when the session cookie is deleted", async () => {
    expect(await vary("/deletion")).toBe("Cookie");
  });

  it("adds it to headers passed to writeHead", async () => {
    expect(await vary("/write-head")).toBe("rsc, Cookie");
  });

  it("leaves a response without the session cookie alone", async () => {
    expect(await vary("/other-cookie")).toBe("Accept-Encoding");
  });

  it("keeps Vary: * and a Vary that already names Cookie", async () => {
    expect(await vary("/star")).toBe("*");
    expect(await vary("/already")).toBe("Cookie");
  });
});

describe("setsCookie", () => {
  it("matches the cookie's exact name only", () => {
    expect(setsCookie(["a=1", " sessionid=x; Path=/"], "sessionid")).toBe(true);
    expect(setsCookie("sessionid2=x", "sessionid")).toBe(false);
    expect(setsCookie(undefined, "sessionid")).toBe(false);
  });
});
