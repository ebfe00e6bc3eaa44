/**
 * Two depths of testing. `npm test` runs every suite with short property runs
 * and stays inside its 10 minutes; `npm run test:deep` (L2LAB_DEEP=1, mocha
 * `--grep @deep`) runs the suites tagged `@deep`: long property runs and every
 * variant combination. `.ci/run` runs both.
 */
export const DEEP = process.env.L2LAB_DEEP === "1";

/** fast-check run count: `quick` under `npm test`, `deep` under `npm run test:deep`. */
export function runs(quick: number, deep: number): number {
  return DEEP ? deep : quick;
}

/**
 * A suite that only `npm run test:deep` runs (pending under `npm test`). The
 * `@deep` tag in its title is what `test:deep` greps for.
 */
export function describeDeep(title: string, fn: (this: Mocha.Suite) => void): Mocha.Suite | void {
  return (DEEP ? describe : describe.skip)(`@deep ${title}`, fn);
}
