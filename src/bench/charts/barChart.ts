/** Horizontal stacked bars: one bar per design, one coloured segment per part. */
import { ChartError, PALETTE, fmt, linearScale, logScale, svgDocument, text } from "./svg";

export interface Bar {
  label: string;
  segments: { part: string; value: number }[];
  /** Printed at the end of the bar. */
  annotation?: string;
}

export interface BarChartSpec {
  title: string;
  subtitle?: string;
  valueLabel: string;
  parts: string[];
  bars: Bar[];
  /** Log10 value axis (single-segment bars only: a stack has no meaning on a log axis). */
  log?: boolean;
  /** Fixed end of a linear axis (100 for shares). */
  max?: number;
}

const WIDTH = 960;
const ROW = 26;
const MARGIN = { left: 300, right: 220, top: 76, bottom: 50 };

export function barChart(spec: BarChartSpec): string {
  if (spec.bars.length === 0) throw new ChartError(`barChart "${spec.title}": no bars`);
  if (spec.log && spec.bars.some((b) => b.segments.length !== 1)) {
    throw new ChartError(`barChart "${spec.title}": a log axis needs one segment per bar`);
  }
  const height = MARGIN.top + spec.bars.length * ROW + MARGIN.bottom;
  const totals = spec.bars.map((b) => b.segments.reduce((sum, s) => sum + s.value, 0));
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const positive = totals.filter((t) => t > 0);
  const scale = spec.log
    ? logScale(Math.min(...positive, 1), Math.max(...positive, 10), left, right)
    : linearScale(spec.max ?? Math.max(...totals), left, right);
  const base = spec.log ? scale(scale.ticks[0]) : left;
  const body: string[] = [];
  body.push(text(16, 24, spec.title, { size: 16, weight: "bold" }));
  if (spec.subtitle) body.push(text(16, 42, spec.subtitle, { size: 11, fill: "#555" }));

  // Legend of parts along the top.
  let lx = 16;
  spec.parts.forEach((part, index) => {
    body.push(`<rect x="${lx}" y="54" width="12" height="12" fill="${PALETTE[index % PALETTE.length]}"/>`);
    body.push(text(lx + 16, 64, part, { size: 11 }));
    lx += 28 + part.length * 7;
  });

  const bottom = MARGIN.top + spec.bars.length * ROW;
  for (const tick of scale.ticks) {
    const px = scale(tick);
    body.push(`<line x1="${fmt(px)}" y1="${MARGIN.top}" x2="${fmt(px)}" y2="${bottom}" stroke="#e5e5e5"/>`);
    body.push(text(px, bottom + 16, scale.label(tick), { anchor: "middle", size: 11 }));
  }
  body.push(text((left + right) / 2, bottom + 36, spec.valueLabel, { anchor: "middle", size: 12 }));

  spec.bars.forEach((bar, row) => {
    const y = MARGIN.top + row * ROW + 4;
    body.push(text(left - 8, y + 13, bar.label, { anchor: "end", size: 11 }));
    let start = base;
    let sum = 0;
    for (const segment of bar.segments) {
      if (segment.value <= 0) continue;
      sum += segment.value;
      const end = spec.log ? scale(sum) : scale(sum);
      const color = PALETTE[spec.parts.indexOf(segment.part) % PALETTE.length];
      body.push(
        `<rect x="${fmt(start)}" y="${y}" width="${fmt(Math.max(end - start, 0.5))}" height="${ROW - 8}" fill="${color}"><title>${segment.part}: ${segment.value}</title></rect>`,
      );
      start = end;
    }
    if (bar.annotation) body.push(text(start + 6, y + 13, bar.annotation, { size: 11 }));
  });
  return svgDocument(WIDTH, height, body);
}
