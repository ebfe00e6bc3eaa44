/** Markdown helpers the report's sections share: tables and number formats. */

export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** 1234.5 → "1,235". */
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
/** Whole numbers from 100 up, one decimal below. */
export const dec = (n: number) => (Math.abs(n) >= 100 ? int(n) : n.toFixed(1));
