import { describe, expect, it } from "vitest";
import nextConfig from "../next.config";
import { securityHeaders } from "./security-headers";

describe("securityHeaders (next.config.ts)", () => {
  const asRecord = (production: boolean) =>
    Object.fromEntries(securityHeaders(production).map(({ key, value }) => [key, value]));

  it("sends HSTS in production and not in development", () => {
    expect(asRecord(true)["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(asRecord(false)).not.toHaveProperty("Strict-Transport-Security");
  });

  it("sends nosniff, a Referrer-Policy and frame protection on every path", async () => {
    expect(asRecord(false)).toEqual({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
    expect(await nextConfig.headers!()).toEqual([
      { source: "/:path*", headers: securityHeaders() },
    ]);
  });

  it("turns the image optimizer off", () => {
    expect(nextConfig.images?.unoptimized).toBe(true);
  });
});
