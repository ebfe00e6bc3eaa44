/**
 * Runs one lesson's checks twice: against the learner's exercise.ts (skipped while it throws
 * NotYetImplemented) and against the reference solution.ts (never skipped), so every check is known to be
 * passable and to depend on what the function returns.
 */
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
