import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { fundedFixture } from "../fixtures";
import { emptyExitRoot, expectSolvent } from "./attacker";
import {
  buildHostileBatch,
  paddingTx,
  oddCalldata,
  rawBatch,
  sendRaw,
  standardCalldata,
} from "../../../src/optimistic/attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { Watcher } from "../../../src/optimistic/watcher";
import { batchRecord } from "../../../src/optimistic/records";

/**
 * The operator posts a fake exit to itself in calldata that Solidity's decoder accepts but a strict decoder (the
 * watcher's) refuses: states before chunks, the last chunk unpadded. If L1 took it, the watcher could not read
 * the batch and the fake exit would become final.
 */
describe("# attack: odd-calldata", function () {
  it("should not accept a batch the watcher cannot read", async function () {
    const f = await loadFixture(fundedFixture);
    const { rollup, opSigner, params, challenger } = f;
    const view = await readL1(rollup);
    const built = buildHostileBatch(
      rollup,
      opSigner,
      view,
      params,
      opSigner.address,
      {
        kind: "fake-exit",
        recipient: opSigner.address,
        amount: parseEther("5"),
      },
      [paddingTx(view)],
    );
    const batch = rawBatch(built, opSigner.address);
    const data = oddCalldata(rollup.interface, batch);
    expect(data).to.not.equal(standardCalldata(rollup.interface, batch));
    const sent = await sendRaw(opSigner, await rollup.getAddress(), data);
    if (sent.receipt) {
      // L1 took it: the watcher must still read it and prove it.
      const result = await new Watcher(rollup, challenger).challengeFirstInvalid();
      expect(result?.invalid.fault).to.equal("ExitRootMismatch");
    } else {
      expect(sent.error!.message).to.match(/NonStandardCalldata/);
      expect(await rollup.tipId()).to.equal(1n);
    }
    await expectSolvent(rollup);
  });

  it("should not accept chunk cursors that go back or pass the last chunk's", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const tip = await batchRecord(rollup, 1);
    const chunkSize = Number(await rollup.CHUNK_SIZE());
    const state = (depositCursor: bigint) => ({
      stateRoot: tip.stateRoot,
      exitRoot: emptyExitRoot(chunkSize),
      depositCursor,
      forcedCursor: 0n,
    });
    // Chunk 0 claims 2^60 deposits consumed: a cursor no queue has, which off-chain code could not index.
    const huge = 1n << 60n;
    const batch = {
      chunks: ["0x", "0x"],
      states: [state(huge), state(3n)],
      feeRecipient: opSigner.address,
      feeAccount: 0,
    };
    const sent = await sendRaw(opSigner, await rollup.getAddress(), standardCalldata(rollup.interface, batch));
    expect(sent.error?.message).to.match(/ChunkCursorOutOfOrder/);
    await expectSolvent(rollup);
  });
});
