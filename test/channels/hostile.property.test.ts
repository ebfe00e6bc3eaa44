/**
 * Invariants against a hostile peer (fast-check): mallory does, at random,
 * what an attacker can do to bob's honest node and on L1 (pays him and
 * withholds her revocation, offers locks no node should take, grabs his
 * signature on a cooperative close and keeps paying, closes on any state she
 * holds, revoked or not, slips in an update ahead of his penalty, submits an
 * old cooperative close, crosses bob's proposal with her own at the same
 * nonce, declines his proposal but keeps his signature), mixed with honest
 * payments both ways. Mallory is
 * written by hand against bob's node and the ABI; bob runs the project's node
 * and answers every close as the driver and watchtower do. Whatever she does:
 *   - the channel's ETH is conserved: L1 pays out exactly the deposits;
 *   - the channel ends idle: settled, nothing left in the contract;
 *   - bob never ends below his newest co-signed balance.
 * A second property lets carol stall a routed payment and reveal its preimage
 * on L1 whenever she likes (or never): bob, the router, never ends out of
 * pocket and alice never below her newest balance.
 * `npm test` runs a few of each; `npm run test:deep` runs 500 and 200.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, ZeroHash } from "ethers";
import { DigestSigner } from "../../src/channels/crypto";
import { ChannelRefusal } from "../../src/channels/errors";
import {
  domainSeparator,
  hashCooperativeClose,
  hashRevocation,
  hashState,
  typedDigest,
} from "../../src/channels/state";
import { applyChange, type Change } from "../../src/channels/transitions";
import type { Revocation, SignedState } from "../../src/channels/types";
import { payRoute, resolveUpstream, type Hop } from "../../src/channels/payments";
import { describeDeep, runs } from "../support/deep";
import {
  DISPUTE_PERIOD,
  ETH,
  HTLC_DELTA,
  deployedFixture,
  l2Key,
  lineNetwork,
  load,
  makeNetwork,
  openChannel,
} from "./fixtures";

async function pairFixture() {
  const deployed = await deployedFixture();
  const clock = { now: (await hre.ethers.provider.getBlock("latest"))!.timestamp };
  const { network, account } = makeNetwork(deployed, ["mallory", "bob"], clock);
  const channel = await openChannel(deployed, network, account, "mallory", "bob", ETH, ETH);
  return { ...deployed, network, account, clock, channel };
}

type Op =
  | { kind: "mallory-pays"; amount: bigint; withhold: boolean }
  | { kind: "bob-pays"; amount: bigint }
  | { kind: "bad-lock"; how: "zero-hashlock" | "far-expiry" | "expired" }
  | { kind: "grab-close" }
  /** Bob proposes; mallory crosses it with a proposal of her own at the same nonce, then answers his. */
  | { kind: "cross"; amount: bigint }
  /** Bob proposes; mallory says no but keeps his signature (and countersigns it herself). */
  | { kind: "decline"; amount: bigint };
type End =
  | { kind: "close-on"; pick: number; update: number | null }
  | { kind: "old-cooperative-close" }
  | { kind: "bob-closes" };

const amountArb = fc.bigInt({ min: 1n, max: ETH / 4n });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("mallory-pays" as const), amount: amountArb, withhold: fc.boolean() }),
  fc.record({ kind: fc.constant("bob-pays" as const), amount: amountArb }),
  fc.record({
    kind: fc.constant("bad-lock" as const),
    how: fc.constantFrom("zero-hashlock" as const, "far-expiry" as const, "expired" as const),
  }),
  fc.record({ kind: fc.constant("grab-close" as const) }),
  fc.record({ kind: fc.constant("cross" as const), amount: amountArb }),
  fc.record({ kind: fc.constant("decline" as const), amount: amountArb }),
);
const endArb: fc.Arbitrary<End> = fc.oneof(
  fc.record({
    kind: fc.constant("close-on" as const),
    pick: fc.nat(),
    update: fc.option(fc.nat(), { nil: null }),
  }),
  fc.record({ kind: fc.constant("old-cooperative-close" as const) }),
  fc.record({ kind: fc.constant("bob-closes" as const) }),
);

async function hostileRun(ops: Op[], end: End): Promise<void> {
  const f = await load(pairFixture);
  const { channelId, parties } = f.channel;
  const bob = f.network.node("bob");
  const record = bob.channel(channelId);
  const key = new DigestSigner(l2Key("mallory").privateKey);
  const domain = domainSeparator(f.domain);
  const signState = (s: SignedState["state"]): string => key.sign(typedDigest(domain, hashState(s)));
  const revoke = (nonce: bigint): Revocation => ({
    nonce,
    signature: key.sign(typedDigest(domain, hashRevocation(channelId, nonce))),
  });
  // Every state both signed that mallory holds (she is side A).
  const held: SignedState[] = [record.latest];
  // Every revocation bob signed for her, and the proposals he made that she declined but kept.
  const fromBob: Revocation[] = [];
  const declined: SignedState[] = [];
  let grabbed: { balanceA: bigint; balanceB: bigint; sigA: string; sigB: string } | null = null;
  // The nonce bob takes next: past his newest state and every nonce he knows was signed (a refused proposal's too).
  const nextNonce = (): bigint =>
    (record.latest.state.nonce > record.usedNonce ? record.latest.state.nonce : record.usedNonce) + 1n;
  const refused = (e: unknown): void => {
    if (!(e instanceof ChannelRefusal)) throw e;
  };

  for (const op of ops) {
    const latest = record.latest;
    if (op.kind === "mallory-pays") {
      const change: Change = { kind: "pay", from: 0, amount: op.amount };
      let next;
      try {
        next = applyChange(latest.state, latest.locks, change);
        next.state.nonce = nextNonce();
      } catch (e) {
        refused(e);
        continue;
      }
      const signatureA = signState(next.state);
      try {
        const acceptance = bob.accept({
          channelId,
          change,
          state: next.state,
          locks: next.locks,
          signature: signatureA,
        });
        held.push({ ...next, signatureA, signatureB: acceptance.signature });
        fromBob.push(acceptance.revocation);
        if (!op.withhold) bob.receiveRevocation(channelId, revoke(next.state.nonce - 1n));
      } catch (e) {
        refused(e);
      }
    } else if (op.kind === "bob-pays") {
      let proposal;
      try {
        proposal = bob.propose(channelId, { kind: "pay", from: 1, amount: op.amount });
      } catch (e) {
        refused(e);
        continue;
      }
      const signatureA = signState(proposal.state);
      fromBob.push(bob.complete({ channelId, signature: signatureA, revocation: revoke(proposal.state.nonce - 1n) }));
      held.push({ state: proposal.state, locks: proposal.locks, signatureA, signatureB: proposal.signature });
    } else if (op.kind === "bad-lock") {
      const expiry =
        op.how === "far-expiry"
          ? f.clock.now + 365 * 86_400
          : op.how === "expired"
            ? f.clock.now - 1
            : f.clock.now + 3600;
      const hashlock = op.how === "zero-hashlock" ? keccak256(ZeroHash) : keccak256("0x01");
      const change: Change = { kind: "add-lock", lock: { sender: 0, amount: 1n, expiry, hashlock } };
      let next;
      try {
        next = applyChange(latest.state, latest.locks, change);
        next.state.nonce = nextNonce();
      } catch (e) {
        refused(e);
        continue;
      }
      const signature = signState(next.state);
      expect(() => bob.accept({ channelId, change, state: next.state, locks: next.locks, signature })).to.throw(
        ChannelRefusal,
      );
    } else if (op.kind === "cross" || op.kind === "decline") {
      let proposal;
      try {
        proposal = bob.propose(channelId, { kind: "pay", from: 1, amount: op.amount });
      } catch (e) {
        refused(e);
        continue;
      }
      const signatureA = signState(proposal.state);
      const bobs: SignedState = {
        state: proposal.state,
        locks: proposal.locks,
        signatureA,
        signatureB: proposal.signature,
      };
      if (op.kind === "decline") {
        bob.abandon(channelId);
        held.push(bobs);
        declined.push(bobs);
        continue;
      }
      const change: Change = { kind: "pay", from: 0, amount: 1n };
      const crossing = applyChange(latest.state, latest.locks, change);
      crossing.state.nonce = proposal.state.nonce;
      const crossingSig = signState(crossing.state);
      try {
        const acceptance = bob.accept({ channelId, change, ...crossing, signature: crossingSig });
        held.push({ ...crossing, signatureA: crossingSig, signatureB: acceptance.signature });
        fromBob.push(acceptance.revocation);
      } catch (e) {
        refused(e);
      }
      // Her answer to his proposal revokes its own nonce (as if the crossing state came first); then the honest one.
      for (const nonce of [proposal.state.nonce, proposal.state.nonce - 1n]) {
        try {
          fromBob.push(bob.complete({ channelId, signature: signatureA, revocation: revoke(nonce) }));
          held.push(bobs);
          break;
        } catch (e) {
          refused(e);
        }
      }
      bob.abandon(channelId);
    } else {
      const s = latest.state;
      const digest = typedDigest(domain, hashCooperativeClose(channelId, s.balanceA, s.balanceB));
      const offer = { channelId, balanceA: s.balanceA, balanceB: s.balanceB, signature: key.sign(digest) };
      try {
        grabbed = { balanceA: s.balanceA, balanceB: s.balanceB, sigA: offer.signature, sigB: "" };
        grabbed.sigB = bob.acceptCooperativeClose(offer).signature;
      } catch (e) {
        refused(e);
        grabbed = null;
      }
    }
  }

  const mallory = f.contract.connect(f.account("mallory"));
  const bobAccount = f.account("bob");
  const newest = record.latest; // bob's newest co-signed state: his floor
  let closed = false;
  if (end.kind === "old-cooperative-close" && grabbed) {
    await mallory.cooperativeClose(channelId, parties, grabbed.balanceA, grabbed.balanceB, grabbed.sigA, grabbed.sigB);
    closed = true;
  } else if (end.kind === "close-on") {
    const stale = held[end.pick % held.length];
    await mallory.close(channelId, parties, stale.state, stale.signatureA, stale.signatureB);
    if (end.update !== null) {
      // Her "front-run": an update to a newer state she holds, mined before bob's answer.
      const newer = held.filter((s) => s.state.nonce > stale.state.nonce);
      if (newer.length > 0) {
        const s = newer[end.update % newer.length];
        await mallory.dispute(channelId, parties, stale.state, s.state, s.signatureA, s.signatureB, {
          nonce: 0n,
          signature: "0x",
        });
      }
    }
  } else {
    await f.l1.close(bobAccount, channelId, parties, newest);
    // Her answer: a penalty with any revocation of bob's that covers the state he closed with.
    const covering = fromBob.find((r) => r.nonce >= newest.state.nonce);
    if (covering) await mallory.dispute(channelId, parties, newest.state, newest.state, "0x", "0x", covering);
  }

  if (!closed) {
    // Bob answers a close by mallory as the driver and his watchtower do.
    const info = await f.l1.closingInfo(channelId);
    if (info.closer !== bobAccount.address && info.closedNonce < newest.state.nonce) {
      const rev =
        record.theirRevocation && record.theirRevocation.nonce >= info.closedNonce ? record.theirRevocation : null;
      if (rev || info.state.nonce < newest.state.nonce) {
        await f.l1.dispute(bobAccount, channelId, parties, info.state, newest, rev);
      }
    }
    if ((await f.l1.status(channelId)) === "closing") {
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(bobAccount, channelId, parties, (await f.l1.closingInfo(channelId)).state);
    }
  }

  const paid = await f.l1.payouts(channelId, parties);
  expect(paid.a + paid.b, "conserved").to.equal(2n * ETH);
  expect(await f.l1.status(channelId), "idle").to.equal("none");
  expect(await hre.ethers.provider.getBalance(f.address), "nothing left").to.equal(0n);
  // A proposal bob signed and mallory declined is a payment she may still complete until a newer state outdoes it.
  let floor = newest.state.balanceB;
  for (const d of declined)
    if (d.state.nonce > newest.state.nonce && d.state.balanceB < floor) floor = d.state.balanceB;
  expect(paid.b >= floor, `bob paid ${paid.b}, newest balance ${newest.state.balanceB}, floor ${floor}`).to.equal(true);
}

const property = (numRuns: number) =>
  fc.assert(fc.asyncProperty(fc.array(opArb, { maxLength: 8 }), endArb, hostileRun), { numRuns });

describe("channels against a hostile peer (property)", function () {
  it("should conserve the channel's ETH, end idle and never pay bob below his newest co-signed balance", async function () {
    await property(runs(30, 30));
  });
});

describeDeep("channels against a hostile peer (property, 500 runs)", function () {
  it("should conserve the channel's ETH, end idle and never pay bob below his newest co-signed balance", async function () {
    this.timeout(20 * 60_000);
    await property(500);
  });
});

/** alice — bob — carol, 1 ETH on each side of both channels. */
const lineFixture = () => lineNetwork();

/**
 * carol stalls a payment alice → bob → carol and shows the preimage on L1 at
 * a time of her choosing (or never); bob closes with her and follows the
 * project's recovery (learn preimages from L1, redeem or cancel upstream).
 */
async function lateRevealRun(amount: bigint, revealOffset: number | null): Promise<void> {
  const f = await load(lineFixture);
  const provider = hre.ethers.provider;
  const now = async (): Promise<number> => (await provider.getBlock("latest"))!.timestamp;
  const result = payRoute(f.network, ["alice", "bob", "carol"], amount, {
    htlcDelta: HTLC_DELTA,
    now: f.clock.now,
    stall: "carol",
  });
  expect(result.status).to.equal("stalled");
  const hops = (result as { hops: Hop[] }).hops;
  const down = hops[1].lock;
  const aliceFloor = f.network.node("alice").balances(f.ab.channelId).mine;
  const record = f.network.node("bob").channel(f.bc.channelId);
  const closing = record.latest;
  await f.l1.close(f.account("bob"), f.bc.channelId, f.bc.parties, closing);
  const settleAt = (await now()) + DISPUTE_PERIOD;
  let resolved = false;
  const learnAndResolve = async (): Promise<void> => {
    f.clock.now = await now();
    for (const [hashlock, preimage] of await f.l1.revealedPreimages()) {
      f.network.node("bob").learnPreimage(hashlock, preimage);
    }
    if (f.network.node("bob").preimages.has(down.hashlock)) {
      resolveUpstream(f.network, hops, 0);
      resolved = true;
    }
  };
  if (revealOffset !== null) {
    await time.increaseTo(Math.max(down.expiry + revealOffset, (await now()) + 1));
    const preimage = f.network.node("carol").preimages.get(down.hashlock)!;
    await f.contract.connect(f.account("carol")).revealSecret(preimage);
    await learnAndResolve();
  }
  const later = Math.max(settleAt, down.expiry) + 1;
  if ((await now()) < later) await time.increaseTo(later);
  await f.l1.settleWithLocks(f.account("bob"), f.bc.channelId, f.bc.parties, closing.state, closing.locks, [ZeroHash]);
  f.clock.now = await now();
  if (!resolved) resolveUpstream(f.network, hops, 0);
  // Alice and bob close their channel cooperatively: nothing is pending between them any more.
  const offer = f.network.node("alice").offerCooperativeClose(f.ab.channelId);
  const answer = f.network.node("bob").acceptCooperativeClose(offer);
  await f.l1.cooperativeClose(
    f.account("alice"),
    f.ab.channelId,
    f.ab.parties,
    offer.balanceA,
    offer.balanceB,
    offer.signature,
    answer.signature,
  );

  const ab = await f.l1.payouts(f.ab.channelId, f.ab.parties);
  const bc = await f.l1.payouts(f.bc.channelId, f.bc.parties);
  expect(ab.a + ab.b, "conserved a-b").to.equal(2n * ETH);
  expect(bc.a + bc.b, "conserved b-c").to.equal(2n * ETH);
  expect(await provider.getBalance(f.address), "idle").to.equal(0n);
  expect(ab.b + bc.a >= 2n * ETH, `bob ends with ${ab.b + bc.a}`).to.equal(true);
  expect(ab.a >= aliceFloor, `alice ends with ${ab.a}, newest balance ${aliceFloor}`).to.equal(true);
}

const lateRevealProperty = (numRuns: number) =>
  fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 1n, max: ETH / 2n }),
      fc.option(fc.integer({ min: -HTLC_DELTA + 120, max: 2 * HTLC_DELTA }), { nil: null }),
      lateRevealRun,
    ),
    { numRuns },
  );

describe("a hostile staller against an honest router (property)", function () {
  it("should never leave the router out of pocket, whenever the staller reveals on L1", async function () {
    await lateRevealProperty(runs(10, 10));
  });
});

describeDeep("a hostile staller against an honest router (property, 200 runs)", function () {
  it("should never leave the router out of pocket, whenever the staller reveals on L1", async function () {
    this.timeout(20 * 60_000);
    await lateRevealProperty(200);
  });
});
