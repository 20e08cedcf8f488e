import type { AppServer } from "./session/app-server";
import { startAppServer } from "./session/app-server";
import { expect, test } from "./session/fixtures";

/**
 * Which address `next start` counts a request against (lib/client-address.ts),
 * sent as raw HTTP with the headers a client may forge.
 */

async function addressSeenBy(server: AppServer, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/testing/client-address`, { headers });
  expect(response.status).toBe(200);
  const match = /data-testid="client-address">([^<]*)</.exec(await response.text());
  return match?.[1];
}

test.describe("served directly (TRUSTED_PROXY_HOPS unset)", () => {
  let server: AppServer;
  test.beforeAll(async ({ services }) => {
    test.setTimeout(60_000);
    server = await startAppServer({}, services.templateDatabase);
  });
  test.afterAll(async () => server?.stop());

  test("a request counts against its socket's address, whatever it forged", async () => {
    expect(await addressSeenBy(server, {})).toBe("127.0.0.1");
    for (const forged of ["203.0.113.9", "203.0.113.9,", "", " , ", "garbage"]) {
      expect(await addressSeenBy(server, { "X-Forwarded-For": forged })).toBe("127.0.0.1");
    }
    expect(
      await addressSeenBy(server, {
        "X-Evermore-Client-Address": "203.0.113.9",
        "X-Forwarded-For": "203.0.113.9",
      }),
    ).toBe("127.0.0.1");
  });
});

test.describe("behind one proxy (TRUSTED_PROXY_HOPS=1)", () => {
  let server: AppServer;
  test.beforeAll(async ({ services }) => {
    test.setTimeout(60_000);
    server = await startAppServer({ TRUSTED_PROXY_HOPS: "1" }, services.templateDatabase);
  });
  test.afterAll(async () => server?.stop());

  test("a request counts against the entry the proxy appended, not the client's own", async () => {
    // What nginx's $proxy_add_x_forwarded_for makes of a client that wrote its own header.
    expect(await addressSeenBy(server, { "X-Forwarded-For": "192.0.2.1, 203.0.113.9" })).toBe(
      "203.0.113.9",
    );
  });

  test("an empty or malformed entry counts against the socket's address, never against none", async () => {
    for (const forwarded of ["203.0.113.9,", "", "   ", "203.0.113.9, garbage", "1".repeat(400)]) {
      expect(await addressSeenBy(server, { "X-Forwarded-For": forwarded })).toBe("127.0.0.1");
    }
  });
});

test("the server refuses to start with a TRUSTED_PROXY_HOPS that is not a number, naming it", async ({
  services,
}) => {
  test.setTimeout(60_000);
  await expect(
    startAppServer({ TRUSTED_PROXY_HOPS: "two" }, services.templateDatabase),
  ).rejects.toThrow(/TRUSTED_PROXY_HOPS: expected a whole number of proxies, 0 to 10, got "two"/);
});
