import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { blobFundedFixture } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import { filledBlob, sendBlobTx, submitBlobBatchData, tipState } from "./blob-attacker";

/**
 * The operator posts a blob batch from inside a contract call: it delegates its own account to a forwarder
 * (EIP-7702), then sends a blob transaction to itself that calls forward(rollup, submitBlobBatch(...)). The rollup
 * sees the operator as msg.sender and blobhash still reads the transaction's blobs, but the transaction's input is
 * forward(), which the watcher cannot decode as a batch. L1 takes blob batches only as the transaction's own call
 * from an account without code, as it does calldata batches.
 */
describe("attack: blob batch via contract", function () {
  it("should not accept a blob batch posted from inside a delegated forwarder call", async function () {
    const f = await loadFixture(blobFundedFixture);
    const { wallet, rollup } = f;
    const forwarder = await (await ethers.getContractFactory("Forwarder", f.challenger)).deploy();
    const { chainId } = await ethers.provider.getNetwork();
    const delegate = await wallet.authorize({
      address: await forwarder.getAddress(),
      nonce: (await wallet.getNonce()) + 1,
      chainId,
    });
    // The delegating transaction runs the forwarder at once: a harmless forwarded call (a view of the rollup).
    const harmless = forwarder.interface.encodeFunctionData("forward", [
      await rollup.getAddress(),
      rollup.interface.encodeFunctionData("tipId"),
    ]);
    await (
      await wallet.sendTransaction({
        type: 4,
        to: wallet.address,
        data: harmless,
        authorizationList: [delegate],
        gasLimit: 200_000n,
      })
    ).wait();
    expect((await ethers.provider.getCode(wallet.address)).slice(0, 8)).to.equal("0xef0100");

    const inner = submitBlobBatchData(rollup, 1, await tipState(rollup), f.operatorKey.address, 9);
    const data = forwarder.interface.encodeFunctionData("forward", [await rollup.getAddress(), inner]);
    const tipBefore = await rollup.tipId();
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const outcome = await sendBlobTx(wallet, f.kzg, wallet.address, data, [filledBlob(0)], send);

    const clear = await wallet.authorize({
      address: ethers.ZeroAddress,
      nonce: (await wallet.getNonce()) + 1,
      chainId,
    });
    await (await wallet.sendTransaction({ type: 4, to: wallet.address, authorizationList: [clear] })).wait();

    expect(outcome).to.be.instanceOf(Error);
    const failed = forwarder.interface.parseError((outcome as unknown as { data: string }).data);
    expect(failed?.name).to.equal("ForwardFailed");
    expect(rollup.interface.parseError(failed!.args.reason)?.name).to.equal("PosterNotOrigin");
    expect(await rollup.tipId()).to.equal(tipBefore);
    await expectSolvent(rollup, f.archive);
  });
});
