/**
 * `npx hardhat zk-node`: the zk L2 node as a process. Reads the deployment record, signs as the zk operator
 * (ROLES), loads the circuit the rollup verifies (its keys built and cached by the circuit loader on first use),
 * replays L1 plus its journal, serves the API on 127.0.0.1 and prints its ready line; stops on SIGINT/SIGTERM.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ZkRollup } from "../../typechain-types";
import { ROLES } from "../devnet/deployment";
import { announceReady } from "../devnet/ready";
import { circuitForBatchSize } from "../zk/circuit";
import { terminateProver } from "../zk/prover";
import { ZkNode } from "./zk-node";
import { defaultJournalPath, loadDeployment, logger, serveNode, untilSignal, type NodeTaskArgs } from "./process";

export async function runZkNode(hre: HardhatRuntimeEnvironment, args: NodeTaskArgs): Promise<void> {
  const log = logger("zk-node");
  const { deployment, path } = await loadDeployment(hre, args.deployment);
  if (!deployment.zk) throw new Error(`${path}: no zk rollup in the deployment record`);
  const operator = (await hre.ethers.getSigners())[ROLES.zkOperator];
  if (!operator) throw new Error(`the network has no account ${ROLES.zkOperator} (the zk operator)`);
  const rollup = (await hre.ethers.getContractAt("ZkRollup", deployment.zk.rollup, operator)) as unknown as ZkRollup;
  const circuit = circuitForBatchSize(Number(await rollup.BATCH_SIZE()));
  const journalPath = args.journal ?? (await defaultJournalPath(hre, path, deployment, "zk"));
  log(`rollup ${deployment.zk.rollup}, operator ${operator.address}, circuit ${circuit.name}, journal ${journalPath}`);
  const { node } = await ZkNode.start({ rollup, circuit, journalPath, batchIntervalMs: args.batchInterval, log });
  const server = await serveNode(node.routes(), args, log);
  announceReady({ ready: "zk-node", url: server.url, rollup: deployment.zk.rollup });
  log(`serving on ${server.url}; proving a batch every ${args.batchInterval} ms while operations are pending`);
  const signal = await untilSignal();
  log(`${signal}: stopping (a proof in flight is posted first)`);
  await server.close();
  await node.stop();
  await terminateProver();
  log("stopped");
}
