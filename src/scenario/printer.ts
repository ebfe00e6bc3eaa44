/**
 * How a run reads in a terminal: the scenario's description, then each step
 * as it goes (index, `do`, its fields, note), the system's detail lines
 * indented under it, and its outcome with the L1 gas it cost.
 */
import { createColors } from "picocolors";
import type { Step } from "./types";

export type Colors = ReturnType<typeof createColors>;

const QUIET_FIELDS = new Set(["do", "note", "expectRevert"]);

export class Printer {
  readonly c: Colors;

  constructor(
    private readonly write: (line: string) => void,
    color: boolean,
  ) {
    this.c = createColors(color);
  }

  line(text: string): void {
    this.write(text);
  }

  header(name: string, system: string, description: string): void {
    this.write(`${this.c.bold(name)} ${this.c.dim(`(${system})`)}`);
    this.write(`  ${description}`);
  }

  /** `[3] transfer from=alice to=bob amount=1` and the note under it. */
  step(index: number, step: Step): void {
    const fields = Object.entries(step)
      .filter(([k]) => !QUIET_FIELDS.has(k))
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    const refusal = step.expectRevert ? this.c.yellow(" (must be refused)") : "";
    this.write(`${this.c.cyan(`[${index}]`)} ${this.c.bold(step.do)}${fields ? ` ${fields}` : ""}${refusal}`);
    if (step.note) this.write(`     ${this.c.italic(this.c.dim(`note: ${step.note}`))}`);
  }

  detail(text: string): void {
    for (const l of text.split("\n")) this.write(`     ${this.c.dim(l)}`);
  }

  /** The step's outcome, its L1 gas and, when it took a noticeable while (proving, say), how long. */
  outcome(ok: boolean, text: string, l1Gas: number | null, seconds = 0): void {
    const gas = l1Gas === null ? "" : this.c.dim(` · L1 gas ${l1Gas.toLocaleString("en-US")}`);
    const time = seconds >= 1 ? this.c.dim(` · ${seconds.toFixed(1)} s`) : "";
    this.write(`     ${ok ? this.c.green(`✓ ${text}`) : this.c.red(`✗ ${text}`)}${gas}${time}`);
  }
}
