import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { freshOperator, fundedFixture } from "../fixtures";
import { expectSolvent, raceInOneBlock } from "./attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { buildFraudProof, rebuild } from "../../../src/optimistic/watcher";

/**
 * The operator cheats, then watches the mempool: when the challenger's proof appears, it sends the very same
 * calldata from its own account with a higher fee, so its copy is mined first. If the reward went to whoever
 * proves first, the operator would win back half its bond and the challenger nothing.
 */
describe("# attack: front-run-challenge", function () {
  it("should pay the challenger, never the copier", async function () {
    const f = await loadFixture(fundedFixture);
    const { rollup, opSigner, accounts, challenger } = f;
    const operator = await freshOperator(f);
    await operator.postPending({ kind: "mint", to: accounts[0], amount: parseEther("3") });
    const view = await readL1(rollup);
    const invalid = rebuild(view).invalid!;
    const data = rollup.interface.encodeFunctionData("proveFraud", [
      buildFraudProof(view, invalid.batchId, invalid.chunkIndex),
    ]);
    const to = await rollup.getAddress();
    // The challenger commits first where the rollup asks for it (commit, then reveal in a later block).
    if (rollup.interface.getFunction("commitFraudProof")) {
      const commitment = ethers.solidityPackedKeccak256(
        ["address", "bytes32"],
        [challenger.address, ethers.keccak256(data)],
      );
      const committed = await (await rollup.connect(challenger).commitFraudProof(commitment)).wait();
      console.log(`      commitment: ${committed!.gasUsed} gas`);
    }
    const [honestReceipt, copyReceipt] = await raceInOneBlock(
      (fees) => challenger.sendTransaction({ to, data, ...fees, gasLimit: 8_000_000n }),
      (fees) => opSigner.sendTransaction({ to, data, ...fees, gasLimit: 8_000_000n }),
    );
    expect(copyReceipt!.index < honestReceipt!.index, "the copy was mined first").to.equal(true);
    const rewards = await rollup.queryFilter(rollup.filters.OperatorSlashed());
    expect(rewards.map((e) => e.args.beneficiary)).to.deep.equal([challenger.address]);
    expect(await rollup.tipId()).to.equal(1n);
    await expectSolvent(rollup);
  });
});
