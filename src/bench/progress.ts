/** The progress display on stderr: a bar on a terminal, plain lines otherwise. */
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { Progress } from "./context";

export interface ProgressDisplay extends Progress {
  stop(): void;
}

export function createProgress(total: number, title: string): ProgressDisplay {
  const interactive = Boolean(process.stderr.isTTY);
  if (!interactive) {
    let done = 0;
    return {
      tick: (label) => process.stderr.write(`[${title}] ${++done}/${total} ${label}\n`),
      log: (line) => process.stderr.write(`${line}\n`),
      stop: () => undefined,
    };
  }
  const multi = new MultiBar(
    {
      stream: process.stderr,
      format: `${title} [{bar}] {value}/{total} {label} ({duration_formatted})`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const bar: SingleBar = multi.create(Math.max(total, 1), 0, { label: "starting" });
  return {
    tick: (label) => bar.increment(1, { label }),
    log: (line) => multi.log(`${line}\n`),
    stop: () => multi.stop(),
  };
}
