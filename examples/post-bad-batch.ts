/**
 * A hostile operator on your devnet, from another terminal: posts one batch that mints 100 ETH out of nothing,
 * straight to the contract with its own raw transaction (no node involved), then reports what the chain did
 * about it. On a devnet the watcher (`npx hardhat watch`) proves the fraud within a second or two.
 *   npx hardhat run examples/post-bad-batch.ts --network localhost
 * (dev chain only: it signs as the rollup's operator, account 1 of `npx hardhat node`).
 */
import { ethers, network } from "hardhat";
import { formatEther, parseEther } from "ethers";
import { readDeployment, deploymentPath, ROLES } from "../src/devnet/deployment";
import { buildHostileBatch, rawBatch, sendRaw, standardCalldata } from "../src/optimistic/attacker";
import { readL1, readParams } from "../src/optimistic/l1-view";
import { FAULTS } from "../src/optimistic/state";

async function main() {
  const { chainId } = await ethers.provider.getNetwork();
  const deployment = readDeployment(process.env.L2LAB_DEPLOYMENT ?? deploymentPath(chainId));
  const operator = (await ethers.getSigners())[ROLES.optimisticOperator];
  const rollup = await ethers.getContractAt("OptimisticRollup", deployment.optimistic!.rollup, operator);
  const { params } = await readParams(rollup);
  if (!(await rollup.bonded())) {
    // A slashed operator must bond again before L1 takes another batch from it.
    await (await rollup.bond({ value: params.bond })).wait();
    console.log(`bonded ${formatEther(params.bond)} ETH again (the last bad batch cost the bond)`);
  }
  const view = await readL1(rollup);
  const feeRecipient = operator.address;
  const mint = { kind: "mint" as const, to: 0, amount: parseEther("100") };
  const built = buildHostileBatch(rollup, operator, view, params, feeRecipient, mint);
  const sent = await sendRaw(
    operator,
    deployment.optimistic!.rollup,
    standardCalldata(rollup.interface, rawBatch(built, feeRecipient)),
  );
  if (!sent.receipt) throw new Error(`L1 refused the bad batch: ${sent.error?.message}`);
  const batchId = await rollup.tipId();
  console.log(
    `bad batch ${batchId} (mints 100 ETH to account 0) landed in block ${sent.receipt.blockNumber} on ${network.name}`,
  );
  for (let waited = 0; waited < 60; waited++) {
    const proven = await rollup.queryFilter(rollup.filters.FraudProven(), sent.receipt.blockNumber);
    const mine = proven.find((event) => event.args.batchId === batchId);
    if (mine) {
      const receipt = await mine.getTransactionReceipt();
      const slashed = receipt.logs
        .map((log) => rollup.interface.parseLog(log))
        .find((parsed) => parsed?.name === "OperatorSlashed");
      const reward = slashed ? `${formatEther(slashed.args.reward)} ETH` : "nothing";
      console.log(
        `the chain rolled batch ${batchId} back in block ${mine.blockNumber}: fault ${FAULTS[Number(mine.args.fault)]} proven by ${mine.args.challenger}, who was paid ${reward} from the operator's bond`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.log(`no fraud proof against batch ${batchId} after 60 s: is the watcher running?`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
