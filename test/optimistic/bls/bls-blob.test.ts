/**
 * BlsOptimisticRollup posting in blobs: a BLS chunk ([aggregate<96>|txs]) is up to 96 bytes longer than an ECDSA one
 * of as many txs, and L1 must still take it in a blob and let a watcher open it within one transaction. Deep: the
 * opening computes 108 KZG proofs (about 19 s on 2 cores); the matrix runner (../variants.test.ts) runs a BLS blob
 * scenario under `npm test`.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { blsBlobFundedFixture, freshBlobOperator } from "../blob-fixtures";
import { expectSolvent } from "../attacks/attacker";
import { signWithdraw } from "../../../src/optimistic/client";
import { readL1 } from "../../../src/optimistic/l1-view";
import { Watcher } from "../../../src/optimistic/watcher";
import { elementsFor } from "../../../src/encoding/blob";
import { describeDeep } from "../../support/deep";
import { batchRecord } from "../../../src/optimistic/records";

/** EIP-7825's cap on one transaction's gas. */
const EIP_7825_CAP = 16_777_216n;

async function fixture() {
  const f = await loadFixture(blsBlobFundedFixture);
  return { ...f, operator: await freshBlobOperator(f) };
}

describeDeep("# BlsOptimisticRollup blob posting: the largest chunk", function () {
  it("should take the largest BLS chunk (aggregate + 32 withdrawals) in a blob and open it under the EIP-7825 cap", async function () {
    const f = await fixture();
    const chunkSize = f.params.chunkSize;
    for (let i = 0; i < chunkSize; i++) {
      const from = i % f.l2.length;
      const state = f.operator.projected();
      f.operator.accept(
        signWithdraw(f.domain, f.l2[from].signingKey, {
          from: f.accounts[from],
          recipient: await f.l1[from].getAddress(),
          amount: parseEther("0.01"),
          fee: 0n,
          nonce: state.account(f.accounts[from]).nonce,
        }),
      );
    }
    // A wrong state root after the largest chunk: proving it opens all of the chunk's bytes.
    const { batchIds } = await f.operator.postPending({ kind: "bad-state-root" });
    const bad = batchIds[batchIds.length - 1];
    const view = await readL1(f.rollup, f.archive);
    const chunk = view.batches[bad].chunks[0];
    expect(chunk.blob).to.not.equal(undefined);
    expect(chunk.data.length).to.equal(96 + chunkSize * 101); // 3,328 bytes
    const lines: string[] = [];
    const watcher = new Watcher(f.rollup, f.challenger, (l) => lines.push(l), f.watcher.blobs);
    const result = await watcher.challengeFirstInvalid();
    expect(result?.invalid.batchId).to.equal(bad);
    expect(result?.invalid.fault).to.equal("StateRootMismatch");
    const opened = /opened batch \d+ chunk 0 against its blob \((\d+) gas\)/.exec(lines.join("\n"));
    expect(opened, lines.join("\n")).to.not.equal(null);
    const gas = BigInt(opened![1]);
    expect(gas < EIP_7825_CAP).to.equal(true);
    console.log(
      `      opening the largest BLS chunk (${chunk.data.length} bytes, ${elementsFor(chunk.data.length)} elements): ${gas} gas`,
    );
    expect(await f.rollup.isStanding(await batchRecord(f.rollup, bad))).to.equal(false); // RolledBack
    await expectSolvent(f.rollup, f.archive);
  });
});
