import path from "node:path";
import { defineConfig } from "vitest/config";
import { UNIT_TEST_SECRET_KEY } from "./test/secrets";

export default defineConfig({
  resolve: {
    alias: { "@": path.resolve(import.meta.dirname) },
  },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Tests share throwaway servers; each file isolates itself by database, key prefix or directory.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      SECRET_KEY: UNIT_TEST_SECRET_KEY,
    },
  },
});
