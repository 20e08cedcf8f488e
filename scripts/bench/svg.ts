import { formatNumber } from "./stats";

/**
 * Horizontal bar charts as plain SVG text: no charting library, readable in
 * any browser and on GitHub, diffable in review.
 */

export interface Bar {
  label: string;
  value: number;
  /** The library's own bars are drawn in the accent colour, baselines and peers in grey. */
  highlight?: boolean;
}

export interface Chart {
  title: string;
  /** What the values are, shown under the title (e.g. "operations per second, higher is better"). */
  unit: string;
  bars: Bar[];
  /** A vertical marker, e.g. the target ratio. */
  marker?: { value: number; label: string };
}

const WIDTH = 720;
const LABEL_WIDTH = 240;
const BAR_HEIGHT = 22;
const GAP = 8;
const TOP = 56;
const VALUE_ROOM = 90;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Renders `chart`; bars are scaled to the largest value (or the marker, if larger). */
export function barChart(chart: Chart): string {
  const values = chart.bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0));
  const largest = Math.max(...values, chart.marker?.value ?? 0, Number.MIN_VALUE);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const scale = (value: number) => (value / largest) * plotWidth;
  const height = TOP + chart.bars.length * (BAR_HEIGHT + GAP) + (chart.marker ? 24 : 8);
  const rows = chart.bars.map((bar, index) => {
    const y = TOP + index * (BAR_HEIGHT + GAP);
    const width = Number.isFinite(bar.value) ? Math.max(1, scale(bar.value)) : 0;
    const fill = bar.highlight ? "#b5651d" : "#9a9a9a";
    const shown = Number.isFinite(bar.value) ? formatNumber(bar.value) : "n/a";
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${fill}"/>`,
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 15}">${shown}</text>`,
    ].join("");
  });
  const marker = chart.marker
    ? markerLine(chart.marker, LABEL_WIDTH + scale(chart.marker.value), height)
    : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="system-ui, sans-serif" font-size="13" fill="#333">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="100%" height="100%" fill="#fffaf3"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="12" y="40" fill="#666">${escapeXml(chart.unit)}</text>`,
    ...rows,
    marker,
    `</svg>`,
    "",
  ].join("\n");
}

function markerLine(marker: { value: number; label: string }, x: number, height: number) {
  const bottom = height - 20;
  return (
    `<line x1="${x.toFixed(1)}" y1="${TOP - 6}" x2="${x.toFixed(1)}" y2="${bottom}" stroke="#2f6f4f" stroke-dasharray="4 3"/>` +
    `<text x="${x.toFixed(1)}" y="${bottom + 14}" text-anchor="middle" fill="#2f6f4f">${escapeXml(marker.label)}</text>`
  );
}
