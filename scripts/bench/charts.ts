import fs from "node:fs";
import path from "node:path";
import type { Comparison } from "./runner";
import { barChart } from "./svg";

/** The report's charts: each writes one SVG under `dir` and returns the Markdown that shows it. */

export function ratioChart(
  file: string,
  dir: string,
  title: string,
  rows: Comparison[],
  limit: number,
) {
  const svg = barChart({
    title,
    unit: "time ratio, library ÷ baseline (lower is better)",
    bars: rows.map((c) => ({ label: c.name.split(" vs ")[0]!, value: c.ratio, highlight: true })),
    marker: { value: limit, label: `target ${limit}` },
  });
  fs.writeFileSync(path.join(dir, file), svg);
  return `![${title}](benchmarks/${file})`;
}

export function httpChart(dir: string, http: Comparison) {
  const svg = barChart({
    title: "HTTP: Route Handler on next start",
    unit: "requests per second, median of the runs (higher is better)",
    bars: [
      { label: "/bench/session (cache, Redis)", value: http.subject.opsPerSecond, highlight: true },
      { label: "/bench/plain (no session)", value: http.baseline.opsPerSecond },
    ],
  });
  fs.writeFileSync(path.join(dir, "http.svg"), svg);
  return "![HTTP: Route Handler on next start](benchmarks/http.svg)";
}
