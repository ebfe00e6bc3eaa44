/**
 * Small SVG building blocks for the benchmark charts: scales (linear and log10), ticks, text.
 * Plain SVG 1.1 with inline styles, so GitHub, browsers and resvg all draw it the same.
 */

export const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#17becf",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
];

export class ChartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChartError";
  }
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function text(
  x: number,
  y: number,
  content: string,
  opts: { size?: number; anchor?: "start" | "middle" | "end"; weight?: string; rotate?: number; fill?: string } = {},
): string {
  const transform = opts.rotate ? ` transform="rotate(${opts.rotate} ${fmt(x)} ${fmt(y)})"` : "";
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-family="${FONT}" font-size="${opts.size ?? 12}" text-anchor="${opts.anchor ?? "start"}" fill="${opts.fill ?? "#222"}"${opts.weight ? ` font-weight="${opts.weight}"` : ""}${transform}>${escapeXml(content)}</text>`;
}

export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export interface Scale {
  (value: number): number;
  ticks: number[];
  label(value: number): string;
}

/** A log10 scale over [min, max] (both > 0), widened to whole decades. */
export function logScale(min: number, max: number, from: number, to: number): Scale {
  if (!(min > 0) || !(max > 0)) throw new ChartError(`logScale: domain [${min}, ${max}] must be positive`);
  const lo = Math.floor(Math.log10(min));
  let hi = Math.ceil(Math.log10(max));
  if (hi === lo) hi = lo + 1;
  const scale = ((value: number) => from + ((Math.log10(value) - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = [];
  for (let power = lo; power <= hi; power++) scale.ticks.push(10 ** power);
  scale.label = compactNumber;
  return scale;
}

/** A linear scale from 0 to a rounded-up max. */
export function linearScale(max: number, from: number, to: number): Scale {
  const top = niceCeil(max > 0 ? max : 1);
  const scale = ((value: number) => from + (value / top) * (to - from)) as Scale;
  scale.ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  scale.label = compactNumber;
  return scale;
}

function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** 1200 → "1.2k", 16777216 → "16.8M". */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units) if (abs >= size) return `${trimZeros((value / size).toFixed(1))}${suffix}`;
  if (abs > 0 && abs < 1) return value.toPrecision(2);
  return trimZeros(value.toFixed(1));
}

function trimZeros(s: string): string {
  return s.replace(/\.0$/, "");
}

export function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
