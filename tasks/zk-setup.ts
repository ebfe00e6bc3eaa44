/**
 * `npx hardhat zk:setup [--circuit NAME] [--deterministic] [--stock] [--verifier-name NAME]`
 * Builds a circuit's r1cs, witness generator, zkey, verification key and
 * Solidity verifier (compiled by solc-js), cached under .zk-cache/.
 * A thin shell over src/zk/ceremony/setup-command.ts.
 *
 * Default keys come from fresh OS CSPRNG secrets that nothing keeps; with
 * --deterministic they come from a public beacon (INSECURE: anyone can forge).
 */
import { task, types } from "hardhat/config";

task("zk:setup", "Builds Groth16 keys and verifiers for the circuits (cached; fresh random secrets by default)")
  .addOptionalParam(
    "circuit",
    "circuit under circuits/ without .circom, e.g. rollup_2 or test/ceremony_small (default: every circuits/*.circom with a main component)",
    undefined,
    types.string,
  )
  .addFlag(
    "deterministic",
    "INSECURE reproducible keys from the public development beacon (byte-identity tests, cross-checks)",
  )
  .addFlag(
    "stock",
    "deterministic keys with the stock snarkjs commands (powersoftau new/beacon/prepare phase2, groth16 setup, zkey beacon): slow",
  )
  .addOptionalParam("verifierName", "verifier contract name (default: <Circuit>Verifier)", undefined, types.string)
  .setAction(async (args: { circuit?: string; deterministic: boolean; stock: boolean; verifierName?: string }) => {
    const { setupCommand } = await import("../src/zk/ceremony/setup-command");
    await setupCommand(args);
  });
