import { describe, expect, it } from "vitest";
import { barChart, escapeXml } from "./svg";

describe("bench SVG charts", () => {
  const chart = barChart({
    title: "Engine cycle <Redis> & co",
    unit: "operations per second",
    bars: [
      { label: "library", value: 500, highlight: true },
      { label: "raw store", value: 1000 },
      { label: "unmeasured", value: Number.NaN },
    ],
    marker: { value: 850, label: "target" },
  });

  it("is one well-formed SVG document with its title escaped", () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.trimEnd().endsWith("</svg>")).toBe(true);
    expect(chart).toContain("<title>Engine cycle &lt;Redis&gt; &amp; co</title>");
    expect(chart).not.toContain("<Redis>");
  });

  it("scales bars to the largest value: half the value, half the width", () => {
    const widths = [...chart.matchAll(/<rect x="240" y="\d+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(3);
    expect(widths[0]! * 2).toBeCloseTo(widths[1]!, 0);
    expect(widths[2]).toBe(0);
  });

  it("colours the library's bars apart from the baselines and labels each value", () => {
    expect(chart.match(/fill="#b5651d"/g)).toHaveLength(1);
    expect(chart).toContain(">1,000</text>");
    expect(chart).toContain(">n/a</text>");
    expect(chart).toContain("stroke-dasharray");
  });

  it("escapes every XML special character", () => {
    expect(escapeXml(`a<b>&"c"`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;");
  });
});
