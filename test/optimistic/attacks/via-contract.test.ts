import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { HDNodeWallet, parseEther } from "ethers";
import { fundedFixture } from "../fixtures";
import { expectSolvent } from "./attacker";
import { buildHostileBatch, rawBatch, standardCalldata } from "../../../src/optimistic/attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { Watcher } from "../../../src/optimistic/watcher";

/** Hardhat's default accounts: account 0 is the rollup's operator in the fixtures. */
const MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The operator delegates its own account to a forwarder (EIP-7702) and posts a fake exit from inside forward():
 * L1 sees msg.sender = the operator, but the transaction's input is the forwarder call, which the watcher does not
 * read as a batch. If L1 took it, nobody could prove the batch and the fake exit would become final.
 */
describe("# attack: via-contract", function () {
  it("should not accept a batch that is not the transaction's own input", async function () {
    const f = await loadFixture(fundedFixture);
    const { rollup, opSigner, params, challenger } = f;
    const operator = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/0").connect(ethers.provider);
    expect(operator.address).to.equal(opSigner.address);
    const forwarder = await (await ethers.getContractFactory("Forwarder", challenger)).deploy();
    const view = await readL1(rollup);
    const built = buildHostileBatch(rollup, opSigner, view, params, operator.address, {
      kind: "fake-exit",
      recipient: operator.address,
      amount: parseEther("5"),
    });
    const inner = standardCalldata(rollup.interface, rawBatch(built, operator.address));
    const nonce = await ethers.provider.getTransactionCount(operator.address);
    const { chainId } = await ethers.provider.getNetwork();
    // Self-sponsored: the authorization's nonce is the one after the transaction's.
    const auth = await operator.authorize({ address: await forwarder.getAddress(), nonce: nonce + 1, chainId });
    const data = forwarder.interface.encodeFunctionData("forward", [await rollup.getAddress(), inner]);
    let accepted = false;
    let error = "";
    try {
      const tx = await operator.sendTransaction({
        type: 4,
        to: operator.address,
        data,
        authorizationList: [auth],
        gasLimit: 2_000_000n,
      });
      accepted = (await tx.wait())!.status === 1;
    } catch (e) {
      error = String((e as Error).message);
    }
    expect((await ethers.provider.getCode(operator.address)).slice(0, 8)).to.equal("0xef0100");
    // Clear the delegation (an authorization to address 0), as later tests post from this account.
    const clear = await operator.authorize({
      address: ethers.ZeroAddress,
      nonce: (await operator.getNonce()) + 1,
      chainId,
    });
    await (await operator.sendTransaction({ type: 4, to: operator.address, authorizationList: [clear] })).wait();
    expect(await ethers.provider.getCode(operator.address)).to.equal("0x");
    if (accepted) {
      const result = await new Watcher(rollup, challenger).challengeFirstInvalid();
      expect(result?.invalid.fault).to.equal("ExitRootMismatch");
    } else {
      expect(error).to.match(/PosterNotOrigin|ForwardFailed|reverted/);
      expect(await rollup.tipId()).to.equal(1n);
    }
    await expectSolvent(rollup);
  });
});
