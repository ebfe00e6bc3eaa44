import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { Wallet, parseEther } from "ethers";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { signTransfer } from "../../src/optimistic/client";
import { readL1 } from "../../src/optimistic/l1-view";
import { Operator } from "../../src/optimistic/operator";
import { buildFraudProof, rebuild, submitFraudProof } from "../../src/optimistic/watcher";

/** EIP-7825: the most gas one transaction may use. */
export const TX_GAS_CAP = 16_777_216n;

/**
 * The costliest fraud proof at `chunkSize`: a full chunk of transfers with fees (each reads and writes two
 * accounts and recovers a signature, then the fees are credited) under a wrong committed root, so L1 re-executes
 * everything before it finds the fault. Returns the gas L1 would charge for the proof.
 */
export async function worstProofGas(chunkSize: number): Promise<bigint> {
  const [opSigner, alice, bob] = await ethers.getSigners();
  const { rollup, params } = await deployOptimistic(hre, opSigner, { chunkSize, batchSize: 4 * chunkSize });
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const feeKey = Wallet.createRandom();
  const operator = new Operator(rollup, opSigner, feeKey.address, params, domain);
  const keys = [0, 1].map((i) => new Wallet(ethers.keccak256(ethers.toUtf8Bytes(`chunk size user ${i}`))));
  for (const [i, who] of [alice, bob].entries())
    await (await rollup.connect(who).deposit(keys[i].address, { value: parseEther("10") })).wait();
  await operator.postPending();
  const accounts = keys.map((k) => operator.state.findAccount(k.address)!);
  for (let i = 0; i < chunkSize; i++) {
    const from = i % 2;
    const state = operator.projected();
    operator.accept(
      signTransfer(domain, keys[from].signingKey, {
        from: accounts[from],
        to: accounts[1 - from],
        amount: 1000n,
        fee: 1n,
        nonce: state.account(accounts[from]).nonce,
      }),
    );
  }
  const { batchIds } = await operator.postPending({ kind: "bad-state-root" });
  const view = await readL1(rollup);
  const invalid = rebuild(view).invalid!;
  expect(invalid.batchId).to.equal(batchIds[0]);
  expect(invalid.txIndex).to.equal(chunkSize);
  const proof = buildFraudProof(view, invalid.batchId, invalid.chunkIndex);
  // Sent with the cap as its limit: a proof that needs more runs out of gas and proves nothing.
  const receipt = await submitFraudProof(rollup, alice, proof, { gasLimit: TX_GAS_CAP });
  expect(await rollup.tipId()).to.equal(BigInt(invalid.batchId - 1));
  return receipt!.gasUsed;
}

describe("# chunk size", function () {
  this.timeout(300_000);

  it("should prove a full chunk of the largest size the constructor accepts under the transaction cap", async function () {
    // Coverage instruments the contract: its gas is no longer what L1 charges.
    if (process.env.L2LAB_COVERAGE === "1") this.skip();
    const gas = await worstProofGas(64);
    console.log(`      worst fraud proof at chunk size 64: ${gas} gas`);
    expect(gas < TX_GAS_CAP).to.equal(true);
  });
});
