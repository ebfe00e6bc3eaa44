/**
 * Runs one lesson's checks twice: against the learner's exercise.ts (skipped while it throws
 * NotYetImplemented) and against the reference solution.ts (never skipped), so every check is known to be
 * passable and to depend on what the function returns. `npm run lesson -- N` (tasks/lesson.ts) counts the
 * two blocks apart and says, in plain words, which of the learner's checks still fail or wait for code.
 */
import { expect } from "chai";
import { toBeHex } from "ethers";
import { NotYetImplemented } from "../../docs/lessons/exercise";

export interface Implementation<T> {
  label: "exercise" | "solution";
  impl: T;
}

export function implementations<T>(exercise: T, solution: T): Implementation<T>[] {
  return [
    { label: "exercise", impl: exercise },
    { label: "solution", impl: solution },
  ];
}

/**
 * Calls the learner's code: a NotYetImplemented skips the running test (mocha's `this.skip()`), anything
 * else is returned or thrown as is.
 */
export async function attempt<R>(ctx: Mocha.Context, call: () => R | Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof NotYetImplemented) ctx.skip();
    throw e;
  }
}

/** A 256-bit value as a learner compares it with a block explorer or a log: 0x and 64 hex digits. */
export function hex32(value: bigint | string): string {
  return typeof value === "string" ? value.toLowerCase() : toBeHex(value, 32);
}

/**
 * Expects `got` to equal `want`, and on failure shows the input that produced it, each value in hex where
 * it is a hash or a root: `index 3, leaf 0x…aaaa: root 0x…12 expected, yours is 0x…34`.
 */
export function expectSameValue(
  got: bigint | string,
  want: bigint | string,
  what: string,
  input: Record<string, bigint | number | string>,
): void {
  const shown = Object.entries(input)
    .map(([name, value]) => `${name} ${typeof value === "bigint" ? hex32(value) : String(value)}`)
    .join(", ");
  expect(hex32(got), `${shown}: ${what} ${hex32(want)} expected, yours is ${hex32(got)}`).to.equal(hex32(want));
}
