/**
 * `npx hardhat optimistic-node`: the optimistic L2 node as a process. Reads the deployment record, signs as the
 * optimistic operator (ROLES), recovers from L1 plus its journal, serves the API on 127.0.0.1 and prints its
 * ready line; stops cleanly on SIGINT/SIGTERM.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { OptimisticRollup } from "../../typechain-types";
import { ROLES } from "../devnet/deployment";
import { kzgBeforeRpc } from "../devnet/lifecycle";
import { announceReady } from "../devnet/ready";
import { OptimisticNode } from "./optimistic-node";
import type { BlobPostingSetup } from "../optimistic/operator";
import { ArchiveClient } from "../optimistic/blob-archive";
import { loadKzg } from "../encoding/kzg";
import { hardhatWallet } from "../bench/blobs";
import { defaultJournalPath, loadDeployment, logger, serveNode, untilSignal, type NodeTaskArgs } from "./process";

export async function runOptimisticNode(hre: HardhatRuntimeEnvironment, args: NodeTaskArgs): Promise<void> {
  const log = logger("optimistic-node");
  const preloaded = await kzgBeforeRpc(args.deployment);
  const { deployment, path } = await loadDeployment(hre, args.deployment);
  if (!deployment.optimistic) throw new Error(`${path}: no optimistic rollup in the deployment record`);
  const operator = (await hre.ethers.getSigners())[ROLES.optimisticOperator];
  if (!operator) throw new Error(`the network has no account ${ROLES.optimisticOperator} (the optimistic operator)`);
  const rollup = (await hre.ethers.getContractAt(
    "OptimisticRollup",
    deployment.optimistic.rollup,
    operator,
  )) as unknown as OptimisticRollup;
  const journalPath = args.journal ?? (await defaultJournalPath(hre, path, deployment, "optimistic"));
  log(`rollup ${deployment.optimistic.rollup}, operator ${operator.address}, journal ${journalPath}`);
  const { posting, archive } = deployment.optimistic;
  let blobPosting: BlobPostingSetup | undefined;
  if (posting === "blob") {
    if (!archive) throw new Error(`${path}: posting "blob" needs the blob archive's URL (optimistic.archive)`);
    // A type-3 transaction is signed locally (the node's signer builds no sidecar) and sent through the archive.
    const wallet = hardhatWallet(hre, ROLES.optimisticOperator, hre.ethers.provider);
    blobPosting = { wallet, archive: new ArchiveClient(archive), kzg: preloaded ?? (await loadKzg()) };
    log(`posts batches in blobs through the blob archive at ${archive}`);
  }
  const { node } = await OptimisticNode.start({
    rollup,
    operator,
    journalPath,
    batchIntervalMs: args.batchInterval,
    maxBatchTxs: args.batchSize,
    log,
    blobPosting,
  });
  const server = await serveNode(node.routes(), args, log);
  announceReady({ ready: "optimistic-node", url: server.url, rollup: deployment.optimistic.rollup });
  log(`serving on ${server.url}; a batch every ${args.batchInterval} ms or at ${args.batchSize} pending txs`);
  const signal = await untilSignal();
  log(`${signal}: stopping (a batch in flight lands first)`);
  await server.close();
  await node.stop();
  log("stopped");
}
