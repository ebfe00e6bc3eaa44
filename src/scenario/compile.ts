/**
 * Compiles the contracts before a run. A tree that does not compile is
 * reported in one line after solc's own messages, instead of a stack trace.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

export class ContractsDoNotCompileError extends Error {
  constructor(readonly detail: string) {
    super(`the contracts do not compile (${detail}); solc's messages are above`);
    this.name = "ContractsDoNotCompileError";
  }
}

export async function compileContracts(hre: HardhatRuntimeEnvironment): Promise<void> {
  try {
    await hre.run("compile", { quiet: true });
  } catch (e) {
    const err = e as { number?: unknown; message?: unknown };
    // HH600: Hardhat's "Compilation failed"; solc has already printed why.
    if (err.number === 600) throw new ContractsDoNotCompileError(String(err.message));
    throw e;
  }
}
