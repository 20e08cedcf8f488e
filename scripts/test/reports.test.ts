import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPlaywrightReport, readVitestReport } from "./reports";

// Both fixtures are real reports, trimmed, of a file with a test that passes, one that fails, and
// one that is skipped (vitest: also one to do, and a second file that throws as it loads).
const fixtures = path.join(import.meta.dirname, "fixtures");

describe("the test reports that npm test sums up", () => {
  it("vitest: counts, and names each failure with its file and the first line of its error", () => {
    const tally = readVitestReport(path.join(fixtures, "vitest-report.json"), "/repo");
    expect(tally.failures).toEqual([
      "b.test.ts › a group fails with a message: AssertionError: one is not two: expected 1 to be 2 // Object.is equality",
      "c.test.ts › (the file itself): cannot load",
    ]);
    // vitest itself counts 1 failed test: the file that cannot load is counted too.
    expect(tally).toMatchObject({ passed: 1, failed: 2, skipped: 2 });
  });

  it("Playwright: counts, and names each failure with its describe block, project and line", () => {
    const tally = readPlaywrightReport(path.join(fixtures, "playwright-report.json"));
    expect(tally.failures).toEqual([
      "a.spec.ts:4 [desktop] › a group › fails with a message: Error: one is not two Expected: 2 Received: 1",
      "a.spec.ts:4 [mobile] › a group › fails with a message: Error: one is not two Expected: 2 Received: 1",
    ]);
    expect(tally).toMatchObject({ passed: 2, failed: 2, skipped: 2 });
  });

  it("a report that was never written counts nothing", () => {
    const missing = path.join(fixtures, "no-such-report.json");
    expect(readVitestReport(missing, "/repo")).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
    expect(readPlaywrightReport(missing)).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });
});
