import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HeaderSource } from "./client-address";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  recordSocketAddresses,
  UNKNOWN_ADDRESS,
} from "./client-address";

/** A real HTTP server in this process that answers with the address it would count. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  recordSocketAddresses();
  server = http.createServer((request, response) => {
    const hops = Number(new URL(request.url!, "http://x").searchParams.get("hops"));
    const source: HeaderSource = {
      get: (name) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value.join(", ") : (value ?? null);
      },
    };
    response.end(clientAddress(source, hops));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function seen(hops: number, headers: Record<string, string> = {}): Promise<string> {
  return (await fetch(`${base}/?hops=${hops}`, { headers })).text();
}

describe("the address a request counts against", () => {
  it("is the socket's by default, whatever X-Forwarded-For the client wrote", async () => {
    expect(await seen(0)).toBe("127.0.0.1");
    expect(await seen(0, { "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
    expect(await seen(0, { "x-forwarded-for": "203.0.113.9," })).toBe("127.0.0.1");
  });

  it("cannot be forged through the server's own header", async () => {
    expect(await seen(0, { [CLIENT_ADDRESS_HEADER]: "203.0.113.9" })).toBe("127.0.0.1");
    expect(await seen(1, { [CLIENT_ADDRESS_HEADER]: "203.0.113.9", "x-forwarded-for": "," })).toBe(
      "127.0.0.1",
    );
  });

  it("is the entry the outermost trusted proxy wrote, behind TRUSTED_PROXY_HOPS proxies", async () => {
    const forwarded = { "x-forwarded-for": "192.0.2.1, 198.51.100.1, 203.0.113.9" };
    expect(await seen(1, forwarded)).toBe("203.0.113.9");
    expect(await seen(2, forwarded)).toBe("198.51.100.1");
    expect(await seen(1, { "x-forwarded-for": "::FFFF:203.0.113.9" })).toBe("203.0.113.9");
    expect(await seen(1, { "x-forwarded-for": " 2001:DB8::1 " })).toBe("2001:db8::1");
  });

  it.each([
    ["a trailing comma", "203.0.113.9,"],
    ["an empty header", ""],
    ["spaces", "   "],
    ["garbage", "203.0.113.9, not-an-address"],
    ["a port", "203.0.113.9:443"],
    ["an overlong entry", `203.0.113.9, ${"1".repeat(5000)}`],
  ])("falls back to the socket's address for %s, never to none", async (_, header) => {
    expect(await seen(1, { "x-forwarded-for": header })).toBe("127.0.0.1");
  });

  it("falls back to the socket's address when there are fewer entries than proxies", async () => {
    expect(await seen(2, { "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
    expect(await seen(1)).toBe("127.0.0.1");
  });

  it("is the shared bucket `unknown` for headers this process did not write", () => {
    const written = new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.9" });
    expect(clientAddress(written, 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers(), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers({ "x-forwarded-for": "garbage" }), 1)).toBe(UNKNOWN_ADDRESS);
  });
});
