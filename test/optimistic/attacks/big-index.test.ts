import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { fundedFixture } from "../fixtures";
import { expectSolvent } from "./attacker";
import { buildHostileBatch, rawBatch, sendRaw, standardCalldata } from "../../../src/optimistic/attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { Watcher } from "../../../src/optimistic/watcher";

/**
 * The operator opens two neighbouring accounts at indices 2^31 and 2^31 + 1 and mints into one of them. A watcher
 * whose Merkle code breaks on indices past the signed 32-bit range builds a wrong witness, L1 refuses its proof,
 * and the minted ETH becomes final.
 */
describe("# attack: big account indices", function () {
  it("should still prove fraud on accounts at index 2^31 and above", async function () {
    const f = await loadFixture(fundedFixture);
    const { rollup, opSigner, params, challenger } = f;
    const view = await readL1(rollup);
    const owner = opSigner.address.toLowerCase();
    const big = 2 ** 31;
    const built = buildHostileBatch(
      rollup,
      opSigner,
      view,
      params,
      owner,
      { kind: "mint", to: big + 1, amount: parseEther("5") },
      [
        { type: "register", index: big, owner },
        { type: "register", index: big + 1, owner },
      ],
    );
    const sent = await sendRaw(
      opSigner,
      await rollup.getAddress(),
      standardCalldata(rollup.interface, rawBatch(built, owner)),
    );
    expect(sent.receipt?.status).to.equal(1);
    const result = await new Watcher(rollup, challenger).challengeFirstInvalid();
    expect(result?.invalid.fault).to.equal("StateRootMismatch");
    expect(await rollup.tipId()).to.equal(1n);
    await expectSolvent(rollup);
  });
});
