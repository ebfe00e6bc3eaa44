/**
 * Payment channels: the L1 cost of a channel's lifetime spread over the payments it carried, and
 * each L1 operation on its own. Drives the project's channel client (src/channels) against the
 * contract deployed by scripts/deploy-channels.ts; payments are real co-signed states.
 *
 * Lifetime = open (A funds) + deposit (B funds) + cooperative close: the cheapest honest path.
 * Unilateral close, dispute (a stale close punished) and settle are measured as operations.
 */
import { existsSync } from "fs";
import { join } from "path";
import { keccak256, toUtf8Bytes } from "ethers";
import type { TransactionReceipt } from "ethers";
import type { BenchContext, Workload } from "../context";

const ETH = 10n ** 18n;
const DEPOSIT = ETH;
const PAYMENT = ETH / 1000n;

/** A fixed L2 key per name, so signatures (and their zero bytes, and so the gas) repeat exactly. */
function benchKey(name: string): string {
  return keccak256(toUtf8Bytes(`l2lab bench channel key: ${name}`));
}

export const channelsWorkload: Workload = {
  system: "channels",
  title: "Payment channels",
  unavailable() {
    const root = join(__dirname, "..", "..", "..");
    for (const file of [
      "scripts/deploy-channels.ts",
      "src/channels/l1.ts",
      "src/channels/node.ts",
      "src/channels/network.ts",
      "src/channels/payments.ts",
    ]) {
      if (!existsSync(join(root, file))) return `${file} is not there yet`;
    }
    return null;
  },
  plan: (profile) => profile.channelPayments.length + 3,
  async run(ctx: BenchContext) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { deployChannels } =
      require("../../../scripts/deploy-channels") as typeof import("../../../scripts/deploy-channels");
    const { ChannelsL1 } = require("../../channels/l1") as typeof import("../../channels/l1");
    const { ChannelNode } = require("../../channels/node") as typeof import("../../channels/node");
    const { ChannelNetwork } = require("../../channels/network") as typeof import("../../channels/network");
    const { payDirect } = require("../../channels/payments") as typeof import("../../channels/payments");
    /* eslint-enable @typescript-eslint/no-require-imports */
    type Parties = import("../../channels/types").Parties;

    const { hre } = ctx;
    const deployed = await deployChannels(hre);
    const l1 = new ChannelsL1(deployed.contract);
    const [, aliceL1, bobL1] = await hre.ethers.getSigners();
    const now = async () => (await hre.ethers.provider.getBlock("latest"))!.timestamp;
    let clock = await now();

    const network = new ChannelNetwork();
    const alice = network.add(
      new ChannelNode("alice", benchKey("alice"), aliceL1.address, deployed.domain, () => clock),
    );
    const bob = network.add(new ChannelNode("bob", benchKey("bob"), bobL1.address, deployed.domain, () => clock));
    const parties: Parties = {
      accountA: aliceL1.address,
      accountB: bobL1.address,
      signerA: alice.address,
      signerB: bob.address,
    };

    /** Opens and funds a fresh channel between alice and bob; the network routes to the newest. */
    const openChannel = async () => {
      const { channelId, receipt: opened } = await l1.open(aliceL1, parties, DEPOSIT);
      alice.addChannel(channelId, parties, DEPOSIT);
      bob.addChannel(channelId, parties, DEPOSIT);
      network.link(channelId, "alice", "bob");
      const deposited = await l1.deposit(bobL1, channelId, parties, DEPOSIT);
      alice.recordDeposit(channelId, 1, DEPOSIT);
      bob.recordDeposit(channelId, 1, DEPOSIT);
      return { channelId, opened, deposited };
    };
    /** `count` payments, alternating direction so neither side runs dry. */
    const pay = (count: number) => {
      for (let i = 0; i < count; i++) {
        if (i % 2 === 0) payDirect(network, "alice", "bob", PAYMENT);
        else payDirect(network, "bob", "alice", PAYMENT / 2n);
      }
    };
    const cooperativeClose = async (channelId: bigint) => {
      const offer = alice.offerCooperativeClose(channelId);
      const answer = bob.acceptCooperativeClose(offer);
      return l1.cooperativeClose(
        aliceL1,
        channelId,
        parties,
        offer.balanceA,
        offer.balanceB,
        offer.signature,
        answer.signature,
      );
    };
    const tx = (label: string, receipt: TransactionReceipt) => ({ label, hash: receipt.hash });

    // A contract in use already has channels: open one first so no measured channel pays for
    // initialising the contract's counters (a one-off 20,000-gas SSTORE that would skew lifetime 1).
    await openChannel();

    let first: { opened: TransactionReceipt; deposited: TransactionReceipt; closed: TransactionReceipt } | undefined;
    for (const payments of ctx.profile.channelPayments) {
      const { channelId, opened, deposited } = await openChannel();
      pay(payments);
      const closed = await cooperativeClose(channelId);
      first ??= { opened, deposited, closed };
      await ctx.record({
        system: "channels",
        variant: "lifetime",
        posting: "calldata",
        batchSize: payments,
        txs: [tx("open", opened), tx("deposit", deposited), tx("cooperativeClose", closed)],
        note: `open + deposit + cooperative close around ${payments} off-chain payment(s)`,
      });
      ctx.progress.tick(`channels lifetime ${payments} payments`);
    }
    if (!first) return;
    const op = (variant: string, receipt: TransactionReceipt, note: string) =>
      ctx.record({ system: "channels", variant, posting: "calldata", batchSize: 1, txs: [tx(variant, receipt)], note });
    await op("open", first.opened, "open a channel and fund side A");
    await op("deposit", first.deposited, "side B funds an open channel");
    await op("cooperative-close", first.closed, "both sign the final balances; paid out at once");
    ctx.progress.tick("channels open/deposit/cooperative-close");

    // Unilateral close on the newest state, then settle after the dispute period.
    {
      const { channelId } = await openChannel();
      pay(10);
      const closed = await l1.close(aliceL1, channelId, parties, alice.closingState(channelId, "latest"));
      await op("unilateral-close", closed, "A closes alone with the newest co-signed state (10 payments in)");
      await hre.network.provider.send("evm_increaseTime", [deployed.params.disputePeriod + 1]);
      await hre.network.provider.send("evm_mine");
      clock = await now();
      const info = await l1.closingInfo(channelId);
      const settled = await l1.settle(bobL1, channelId, parties, info.state);
      await op("settle", settled, "pay out the closing state after the dispute period");
    }
    ctx.progress.tick("channels unilateral-close/settle");

    // A stale close answered by a dispute: the cheater forfeits the channel.
    {
      const { channelId } = await openChannel();
      pay(10);
      await l1.close(aliceL1, channelId, parties, alice.closingState(channelId, "stale"));
      const closing = (await l1.closingInfo(channelId)).state;
      const record = bob.channel(channelId);
      const revocation =
        record.theirRevocation && record.theirRevocation.nonce >= closing.nonce ? record.theirRevocation : null;
      const disputed = await l1.dispute(bobL1, channelId, parties, closing, record.latest, revocation);
      const penalized = disputed.logs.some(
        (log) => deployed.contract.interface.parseLog(log)?.name === "ChannelPenalized",
      );
      await op(
        "dispute",
        disputed,
        penalized
          ? "B answers A's stale close with a newer state and A's revocation: A forfeits the channel"
          : "B answers A's stale close with a newer state",
      );
    }
    ctx.progress.tick("channels dispute");
  },
};
