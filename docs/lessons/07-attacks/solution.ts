/** Lesson 7, reference solution: the same function as exercise.ts, completed. */

export function withoutFrozenLockDefence(source: string): string {
  // The one line under the INVARIANT in revealSecret: without it, L1 records keccak256(0) as revealed.
  return source.replace(/^[ \t]*if \(preimage == bytes32\(0\)\) revert ZeroPreimage\(\);\r?\n/m, "");
}
