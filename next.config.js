// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The session framework and the site never need the X-Powered-By banner.
  poweredByHeader: false,
  // serverActions.bodySizeLimit stays Next's 1 MB: lib/oversized-action.ts refuses larger posts first.
  // Native and server-only packages stay out of the bundle and load from node_modules.
  serverExternalPackages: ["@libsql/client", "pg", "ioredis", "memcache-client"],
};

export default nextConfig;
