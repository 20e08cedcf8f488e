/**
 * The JSON reports of vitest and Playwright, read into one shape: how many
 * tests passed, failed and were skipped, and which ones failed and why.
 *
 * A long run prints thousands of lines and CI keeps only the end of them; the
 * names of the failed tests are repeated at the very end so that the end alone
 * says what to look at.
 */
import fs from "node:fs";

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failed test: where, its name, the first line of its error, and what was expected and received. */
  failures: string[];
}

interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: {
    title: string;
    line?: number;
    tests: { projectName: string; status: string; results: { error?: { message?: string } }[] }[];
  }[];
  suites?: PlaywrightSuite[];
}

interface PlaywrightReport {
  stats?: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites?: PlaywrightSuite[];
}

/** A missing report means the tool never got as far as writing one: nothing is counted. */
export function readVitestReport(file: string, root: string): Tally {
  const report = readJson(file) as VitestReport | null;
  const failures: string[] = [];
  let filesFailed = 0;
  for (const suite of report?.testResults ?? []) {
    const where = relative(suite.name, root);
    const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failedTests) {
      failures.push(failureLine(where, test.fullName, test.failureMessages?.[0]));
    }
    // A file that fails outside its tests (it cannot load, an afterAll throws) fails the run, but
    // vitest counts no failed test for it: it is counted here as one, so the summary cannot say 0.
    if (suite.status === "failed" && failedTests.length === 0) {
      filesFailed += 1;
      failures.push(failureLine(where, "(the file itself)", suite.message));
    }
  }
  return {
    passed: report?.numPassedTests ?? 0,
    failed: (report?.numFailedTests ?? 0) + filesFailed,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
    failures,
  };
}

export function readPlaywrightReport(file: string): Tally {
  const report = readJson(file) as PlaywrightReport | null;
  const failures: string[] = [];
  // The top suites are the spec files; the ones inside are `describe` blocks, whose titles name the test.
  const visit = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== "unexpected") continue;
        const where = `${suite.file ?? ""}:${spec.line ?? "?"} [${test.projectName}]`;
        const name = [...titles, spec.title].join(" › ");
        const lastTry = test.results.at(-1);
        failures.push(failureLine(where, name, lastTry?.error?.message));
      }
    }
    for (const child of suite.suites ?? []) {
      visit({ ...child, file: child.file ?? suite.file }, [...titles, child.title]);
    }
  };
  for (const suite of report?.suites ?? []) visit(suite, []);
  const stats = report?.stats;
  return {
    passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0),
    failed: stats?.unexpected ?? 0,
    skipped: stats?.skipped ?? 0,
    failures,
  };
}

function failureLine(where: string, name: string, message: string | undefined): string {
  // Without terminal colours; of the rest, the first line and the Expected/Received lines
  // (Playwright's first line is often only "expect(received).toBe(expected)").
  // eslint-disable-next-line no-control-regex
  const lines = (message ?? "")
    .replace(/\u001b\[[0-9;]*m/g, "")
    .trim()
    .split("\n");
  const compared = lines.filter((line) => /^\s*(Expected|Received):/.test(line));
  const summary = [lines[0], ...compared.map((line) => line.trim())].filter(Boolean).join(" ");
  return `${where} › ${name}${summary ? `: ${summary.slice(0, 300)}` : ""}`;
}

function relative(file: string, root: string): string {
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
