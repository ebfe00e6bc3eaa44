import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ChannelRefusal } from "../../src/channels/errors";
import { lockedAmount, lockProof } from "../../src/channels/locks";
import { payDirect, payRoute } from "../../src/channels/payments";
import { hashState } from "../../src/channels/state";
import type { SignedState } from "../../src/channels/types";
import { DISPUTE_PERIOD, ETH, HTLC_DELTA, lineNetwork, load } from "./fixtures";

/** alice — bob — carol, 1 ETH on each side of both channels. */
async function lineFixture() {
  const f = await lineNetwork();
  return { ...f, channels: [f.ab, f.bc] };
}

type Op =
  | { kind: "direct"; channel: 0 | 1; reverse: boolean; amount: bigint }
  | { kind: "route"; reverse: boolean; amount: bigint; twist: "none" | "decline" | "stall" };
type CloseMode = "cooperative" | "latest" | "stale-disputed" | "stale-undisputed";

const amountArb = fc.bigInt({ min: 1n, max: ETH / 2n });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("direct" as const),
    channel: fc.constantFrom(0 as const, 1 as const),
    reverse: fc.boolean(),
    amount: amountArb,
  }),
  fc.record({
    kind: fc.constant("route" as const),
    reverse: fc.boolean(),
    amount: amountArb,
    twist: fc.constantFrom("none" as const, "none" as const, "decline" as const, "stall" as const),
  }),
);
const closeArb = fc.constantFrom<CloseMode>("cooperative", "latest", "stale-disputed", "stale-undisputed");

describe("channels conservation (property)", function () {
  it("should pay out exactly the deposits of every channel and leave no ETH in the contract, whatever is paid and however it closes", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 10 }),
        fc.tuple(closeArb, closeArb),
        fc.boolean(),
        async (ops, modes, bobCloses) => {
          const f = await load(lineFixture);
          const { network, contract, l1 } = f;
          const names = ["alice", "bob", "carol"];

          // Off-chain: every accepted state keeps balances + locks == deposits (checked by both nodes, re-checked here).
          for (const op of ops) {
            try {
              if (op.kind === "direct") {
                const [x, y] = op.channel === 0 ? ["alice", "bob"] : ["bob", "carol"];
                const [from, to] = op.reverse ? [y, x] : [x, y];
                payDirect(network, from, to, op.amount);
              } else {
                const route = op.reverse ? [...names].reverse() : names;
                payRoute(network, route, op.amount, {
                  htlcDelta: HTLC_DELTA,
                  now: f.clock.now,
                  decline: op.twist === "decline" ? route[2] : undefined,
                  stall: op.twist === "stall" ? route[2] : undefined,
                });
              }
            } catch (e) {
              if (!(e instanceof ChannelRefusal)) throw e;
            }
            for (const { channelId } of f.channels) {
              const { state, locks } = network.node(network.endsOf(channelId)[0]).channel(channelId).latest;
              expect(state.balanceA + state.balanceB + lockedAmount(locks)).to.equal(2n * ETH);
            }
          }

          // L1: close each channel as drawn, then settle and resolve every lock.
          for (const [i, { channelId, parties }] of f.channels.entries()) {
            const [a, b] = network.endsOf(channelId);
            const [closer, other] = bobCloses === (a === "bob") ? [a, b] : [b, a];
            const record = network.node(closer).channel(channelId);
            let mode = modes[i];
            if (mode === "cooperative" && record.latest.locks.length > 0) mode = "latest";
            if (mode === "cooperative") {
              const offer = network.node(closer).offerCooperativeClose(channelId);
              const answer = network.node(other).acceptCooperativeClose(offer);
              const [sa, sb] =
                record.side === 0 ? [offer.signature, answer.signature] : [answer.signature, offer.signature];
              await l1.cooperativeClose(f.account(closer), channelId, parties, offer.balanceA, offer.balanceB, sa, sb);
              continue;
            }
            const closing: SignedState = mode === "latest" ? record.latest : (record.earliest ?? record.latest);
            await l1.close(f.account(closer), channelId, parties, closing);
            const theirs = network.node(other).channel(channelId);
            const newer = theirs.latest.state.nonce > closing.state.nonce;
            if (mode === "stale-disputed" && newer) {
              const revocation = theirs.theirRevocation!.nonce >= closing.state.nonce ? theirs.theirRevocation : null;
              await l1.dispute(f.account(other), channelId, parties, closing.state, theirs.latest, revocation);
              if (revocation) continue; // penalty: paid out at once
            }
            await time.increase(DISPUTE_PERIOD);
            const final = (await l1.closingInfo(channelId)).state;
            await l1.settle(f.account(other), channelId, parties, final);
            const signed = [record.latest, record.earliest, theirs.latest].find(
              (s) => s && hashState(s.state) === hashState(final),
            )!;
            if (signed.locks.length === 0) continue;
            await time.increase(signed.locks.length * HTLC_DELTA * 3);
            // Each refund removes its leaf from the channel's root, so later proofs are taken without it.
            const refunded = new Set<number>();
            for (const [index, lock] of signed.locks.entries()) {
              const proof = lockProof(signed.locks, index, refunded);
              await l1.refundLock(f.account(other), channelId, parties, lock, proof);
              refunded.add(index);
            }
          }

          let paid = 0n;
          for (const { channelId, parties } of f.channels) {
            const { a, b } = await l1.payouts(channelId, parties);
            expect(a + b).to.equal(2n * ETH);
            expect((await contract.channel(channelId))[0]).to.equal(0n);
            paid += a + b;
          }
          expect(paid).to.equal(4n * ETH);
          expect(await hre.ethers.provider.getBalance(f.address)).to.equal(0n);
        },
      ),
      { numRuns: 12 },
    );
  });
});
