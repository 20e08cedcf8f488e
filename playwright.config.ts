import { defineConfig, devices } from "@playwright/test";

/**
 * Browser tests run in Debian's Chromium against a production build
 * (`next build` + `next start`). `npm test` builds, and gives each of its
 * Playwright runs a free port, a fresh database and directories of its own
 * (E2E_PORT, DATABASE_URL, UPLOADS_DIR, E2E_OUTPUT_DIR); see scripts/test/run.ts.
 */
const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.E2E_OUTPUT_DIR || "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    // The candle in the header flickers for ever, and Chromium, drawing in software here, kept
    // repainting it, taking CPU from the tests (docs/decisions/0002). The site honours the setting.
    reducedMotion: "reduce",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      // Without these, Chromium keeps trying to reach Google's hosts and can hang on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Pages, in a browser, at two sizes. Each size is a visitor from an address of its own, as
    // if through one proxy (TRUSTED_PROXY_HOPS below), so that the per-address limits (50 emails,
    // 100 failed logins in 15 minutes) count the two apart, as they would two people.
    {
      name: "desktop",
      use: {
        ...devices["Desktop Chrome"],
        extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.10" },
      },
      testIgnore: "server/**",
    },
    {
      name: "phone",
      use: { ...devices["Pixel 7"], extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.20" } },
      testIgnore: "server/**",
    },
    // HTTP and process-level checks of the server: no browser, run once.
    { name: "server", testMatch: "server/**/*.spec.ts" },
  ],
  webServer: {
    command: `npx next start --hostname 127.0.0.1 --port ${port}`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      // The routes under app/testing exist only for these tests.
      EVERMORE_TEST_ROUTES: "1",
      UPLOADS_DIR: process.env.UPLOADS_DIR || "test-results/uploads",
      // A request without the header above (the server project's) counts as its socket's address.
      TRUSTED_PROXY_HOPS: "1",
    },
  },
});
