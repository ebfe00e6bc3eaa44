/** A line chart with log10 axes: gas per L2 transaction (or a fee) against batch size. */
import { ChartError, PALETTE, fmt, logScale, svgDocument, text } from "./svg";

export interface Series {
  name: string;
  points: [number, number][];
  dashed?: boolean;
  color?: string;
}

export interface HorizontalLine {
  name: string;
  y: number;
  color?: string;
}

export interface LineChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  lines?: HorizontalLine[];
}

const WIDTH = 900;
const HEIGHT = 560;
const MARGIN = { left: 80, right: 260, top: 60, bottom: 60 };

export function lineChart(spec: LineChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = [...spec.series.flatMap((s) => s.points.map((p) => p[1])), ...(spec.lines ?? []).map((l) => l.y)];
  if (xs.length === 0 || ys.length === 0) throw new ChartError(`lineChart "${spec.title}": no data points`);
  const x = logScale(Math.min(...xs), Math.max(...xs), MARGIN.left, WIDTH - MARGIN.right);
  const y = logScale(Math.min(...ys), Math.max(...ys), HEIGHT - MARGIN.bottom, MARGIN.top);
  // The legend sits right of the plot: widen the chart for long names (about 6.3 px per character at 11 px).
  const names = [...spec.series.map((s) => s.name), ...(spec.lines ?? []).map((l) => l.name)];
  const legendWidth = Math.max(MARGIN.right, 56 + Math.ceil(6.3 * Math.max(0, ...names.map((n) => n.length))));
  const width = WIDTH - MARGIN.right + legendWidth;
  const body: string[] = [];
  body.push(text(MARGIN.left, 24, spec.title, { size: 16, weight: "bold" }));
  if (spec.subtitle) body.push(text(MARGIN.left, 42, spec.subtitle, { size: 11, fill: "#555" }));

  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  for (const tick of x.ticks) {
    const px = x(tick);
    body.push(`<line x1="${fmt(px)}" y1="${top}" x2="${fmt(px)}" y2="${bottom}" stroke="#e5e5e5"/>`);
    body.push(text(px, bottom + 18, x.label(tick), { anchor: "middle", size: 11 }));
  }
  for (const tick of y.ticks) {
    const py = y(tick);
    body.push(`<line x1="${left}" y1="${fmt(py)}" x2="${right}" y2="${fmt(py)}" stroke="#e5e5e5"/>`);
    body.push(text(left - 8, py + 4, y.label(tick), { anchor: "end", size: 11 }));
  }
  body.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#888"/>`,
  );
  body.push(text((left + right) / 2, HEIGHT - 16, spec.xLabel, { anchor: "middle", size: 12 }));
  body.push(text(20, (top + bottom) / 2, spec.yLabel, { anchor: "middle", size: 12, rotate: -90 }));

  const legend: string[] = [];
  let legendY = top + 6;
  const addLegend = (name: string, color: string, dashed: boolean, marker: boolean) => {
    const lx = right + 16;
    legend.push(
      `<line x1="${lx}" y1="${legendY}" x2="${lx + 24}" y2="${legendY}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    if (marker) legend.push(`<circle cx="${lx + 12}" cy="${legendY}" r="3" fill="${color}"/>`);
    legend.push(text(lx + 30, legendY + 4, name, { size: 11 }));
    legendY += 18;
  };

  spec.series.forEach((series, index) => {
    const color = series.color ?? PALETTE[index % PALETTE.length];
    const points = [...series.points].sort((a, b) => a[0] - b[0]);
    const path = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${fmt(x(px))},${fmt(y(py))}`).join(" ");
    body.push(
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    for (const [px, py] of points) body.push(`<circle cx="${fmt(x(px))}" cy="${fmt(y(py))}" r="3" fill="${color}"/>`);
    addLegend(series.name, color, series.dashed ?? false, true);
  });
  (spec.lines ?? []).forEach((line, index) => {
    const color = line.color ?? "#555";
    const py = y(line.y);
    body.push(
      `<line x1="${left}" y1="${fmt(py)}" x2="${right}" y2="${fmt(py)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 3"/>`,
    );
    addLegend(line.name, color, true, false);
    void index;
  });
  return svgDocument(width, HEIGHT, [...body, ...legend]);
}
