/**
 * `npx hardhat devnet [--network localhost|remote] [--only optimistic,zk,channels] [--posting blob] [--signatures bls] [--reset] [--no-explorer]`
 * (`npm run devnet`): one command for the whole devnet. Without --network it starts its own
 * `hardhat node` on a free loopback port; with one it uses that chain. It deploys every system
 * through the Ignition modules, writes the deployment record, starts the L2 nodes, the watcher, the
 * channel nodes, the watchtower and the explorer page, prints every endpoint and address, and stops all it started on
 * Ctrl-C. A thin shell over src/devnet/devnet.ts.
 */
import { task, types } from "hardhat/config";

task("devnet", "Runs the devnet: a chain (its own unless --network names one), every system deployed, every node")
  .addOptionalParam(
    "only",
    "systems to run, comma-separated: optimistic, zk, channels (default: all)",
    undefined,
    types.string,
  )
  .addOptionalParam(
    "deployment",
    "where to write the deployment record (default .devnet/<chainId>/deployment.json)",
    undefined,
    types.string,
  )
  .addOptionalParam(
    "posting",
    'how the optimistic node posts batches: "calldata" or "blob" (EIP-4844, through the blob archive)',
    undefined,
    types.string,
  )
  .addOptionalParam(
    "signatures",
    'the optimistic rollup\'s transfers: "ecdsa" (OptimisticRollup) or "bls" (BlsOptimisticRollup, 12-byte transfers)',
    undefined,
    types.string,
  )
  .addFlag("reset", "on a non-development chain, deploy afresh instead of reusing Ignition's earlier deployment")
  .addFlag("noExplorer", "do not start the explorer page (npx hardhat explorer)")
  .setAction(
    async (
      args: {
        only?: string;
        deployment?: string;
        reset: boolean;
        noExplorer: boolean;
        posting?: string;
        signatures?: string;
      },
      hre,
    ) => {
      const { runDevnet } = await import("../src/devnet/devnet");
      await runDevnet(hre, args);
    },
  );
