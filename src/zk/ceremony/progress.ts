/**
 * Progress reporting shared by the ceremony writers: a step label and a throttled percentage.
 * (The ceremony's keys are INSECURE by design: development and teaching only.)
 */

export type ProgressFn = (message: string) => void;

/** Reports `label: done/total (pct%)` at most every 10% and at the end. */
export function progressSteps(
  onProgress: ProgressFn | undefined,
  label: string,
  total: number,
): (done: number) => void {
  let nextPct = 0;
  return (done: number) => {
    if (!onProgress) return;
    const pct = total === 0 ? 100 : Math.floor((done * 100) / total);
    if (pct >= nextPct || done === total) {
      onProgress(`${label}: ${done}/${total} (${pct}%)`);
      nextPct = pct + 10;
    }
  };
}

/** Progress on stderr, for command-line use. */
export const stderrProgress: ProgressFn = (message) => process.stderr.write(`${message}\n`);
