/**
 * `npx hardhat zk:setup [--circuit NAME] [--stock] [--verifier-name NAME]`
 * Builds a circuit's r1cs, witness generator, powers of tau, zkey,
 * verification key and Solidity verifier, cached under .zk-cache/.
 * A thin shell over src/zk/ceremony/setup-command.ts.
 *
 * INSECURE: the keys come from a public beacon; development and teaching only.
 */
import { task, types } from "hardhat/config";

task("zk:setup", "Builds INSECURE development Groth16 keys and verifiers for the circuits (cached)")
  .addOptionalParam(
    "circuit",
    "circuit under circuits/ without .circom, e.g. rollup_2 or test/ceremony_small (default: every circuits/*.circom with a main component)",
    undefined,
    types.string,
  )
  .addFlag("stock", "use the stock snarkjs commands (powersoftau new/beacon/prepare phase2, groth16 setup): slow")
  .addOptionalParam("verifierName", "verifier contract name (default: <Circuit>Verifier)", undefined, types.string)
  .setAction(async (args: { circuit?: string; stock: boolean; verifierName?: string }) => {
    const { setupCommand } = await import("../src/zk/ceremony/setup-command");
    await setupCommand(args);
  });
