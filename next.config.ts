import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // The session framework and the site never need the X-Powered-By banner.
  poweredByHeader: false,
  // serverActions.bodySizeLimit stays Next's 1 MB: lib/oversized-action.ts refuses larger posts first.
  // Native and server-only packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["@libsql/client", "pg", "ioredis", "memcache-client"],
  // The site uses no next/image. The optimizer at /_next/image would fetch a photo and serve it
  // again as `public, max-age=14400`, still cached after the memorial is unpublished: it is off.
  images: { unoptimized: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders() }];
  },
};

export default nextConfig;
