/**
 * The L1 baselines every L2 figure is compared with: a plain ETH transfer and an ERC-20 transfer,
 * both measured on the same chain (never assumed to be 21,000 and ~50,000).
 */
import type { BenchContext, Workload } from "../context";
import { deployBenchToken } from "../deploy";

export const baselineWorkload: Workload = {
  system: "l1",
  title: "L1 baselines",
  unavailable: () => null,
  plan: () => 3,
  async run(ctx: BenchContext) {
    const { ethers } = ctx.hre;
    const [sender, holder, newcomer, other] = await ethers.getSigners();

    const eth = await sender.sendTransaction({ to: other.address, value: 10n ** 15n });
    await eth.wait();
    await ctx.record({
      system: "l1",
      variant: "eth-transfer",
      posting: "calldata",
      batchSize: 1,
      txs: [{ label: "ETH transfer", hash: eth.hash }],
      note: "plain ETH transfer between two existing accounts",
    });
    ctx.progress.tick("l1 eth-transfer");

    const token = await deployBenchToken(ctx.hre);
    // A first transfer makes `holder` an existing holder; the measured one is the common case.
    await (await token.transfer(holder.address, 10n ** 18n)).wait();
    const erc20 = await token.transfer(holder.address, 10n ** 18n);
    await erc20.wait();
    await ctx.record({
      system: "l1",
      variant: "erc20-transfer",
      posting: "calldata",
      batchSize: 1,
      txs: [{ label: "ERC-20 transfer", hash: erc20.hash }],
      note: "BenchToken.transfer to an address that already holds tokens (both balances non-zero before and after)",
    });
    ctx.progress.tick("l1 erc20-transfer");

    const fresh = await token.transfer(newcomer.address, 10n ** 18n);
    await fresh.wait();
    await ctx.record({
      system: "l1",
      variant: "erc20-transfer-new-holder",
      posting: "calldata",
      batchSize: 1,
      txs: [{ label: "ERC-20 transfer to a new holder", hash: fresh.hash }],
      note: "BenchToken.transfer to an address with a zero balance (a new storage slot)",
    });
    ctx.progress.tick("l1 erc20-transfer-new-holder");
  },
};
