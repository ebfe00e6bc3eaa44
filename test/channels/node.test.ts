import { expect } from "chai";
import { Wallet, ZeroHash, keccak256, toUtf8Bytes } from "ethers";
import {
  BadSignatureError,
  BalancesDoNotAddUpError,
  InsufficientBalanceError,
  LockError,
  NoRouteError,
  StateMismatchError,
  UpdateNotAllowedError,
  WrongNonceError,
} from "../../src/channels/errors";
import { ChannelNetwork } from "../../src/channels/network";
import { ChannelNode, MAX_NONCE_GAP } from "../../src/channels/node";
import { claimOwedLocks, payDirect, payRoute } from "../../src/channels/payments";
import { findRoute } from "../../src/channels/routing";
import { DigestSigner } from "../../src/channels/crypto";
import { domainSeparator, hashState, typedDigest } from "../../src/channels/state";
import type { ChannelDomain, Parties } from "../../src/channels/types";

const ETH = 10n ** 18n;
const DOMAIN: ChannelDomain = { chainId: 31337n, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const NOW = 1_800_000_000;
const key = (name: string): string => keccak256(toUtf8Bytes(`l2lab/test/${name}`));
const account = (name: string): string => new Wallet(keccak256(toUtf8Bytes(`l2lab/test/account/${name}`))).address;

/** Off-chain only: nodes and channels as if L1 had opened them with `deposit` on each side. */
function network(names: string[], channels: [string, string, bigint][], deposit = ETH): ChannelNetwork {
  const net = new ChannelNetwork();
  for (const name of names) net.add(new ChannelNode(name, key(name), account(name), DOMAIN, () => NOW));
  channels.forEach(([a, b, id]) => {
    const parties: Parties = {
      accountA: account(a),
      accountB: account(b),
      signerA: net.node(a).address,
      signerB: net.node(b).address,
    };
    for (const name of [a, b]) {
      net.node(name).addChannel(id, parties, deposit);
      net.node(name).recordDeposit(id, 1, deposit);
    }
    net.link(id, a, b);
  });
  return net;
}

const pair = (): ChannelNetwork => network(["alice", "bob"], [["alice", "bob", 1n]]);

describe("ChannelNode", function () {
  describe("# accept", function () {
    it("should countersign exactly the change asked for and revoke the state before", function () {
      const net = pair();
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: ETH / 4n });
      const acceptance = net.node("bob").accept(proposal);
      expect(acceptance.revocation.nonce).to.equal(0n);
      const revocation = net.node("alice").complete(acceptance);
      net.node("bob").receiveRevocation(1n, revocation);
      for (const name of ["alice", "bob"]) {
        const { state } = net.node(name).channel(1n).latest;
        expect([state.nonce, state.balanceA, state.balanceB]).to.deep.equal([1n, (3n * ETH) / 4n, (5n * ETH) / 4n]);
      }
    });

    it("should refuse a bad signature", function () {
      const net = pair();
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 1n });
      const forged = new DigestSigner(key("mallory")).sign(
        typedDigest(domainSeparator(DOMAIN), hashState(proposal.state)),
      );
      expect(() => net.node("bob").accept({ ...proposal, signature: forged })).to.throw(
        BadSignatureError,
        "is not signed by",
      );
    });

    it("should refuse a wrong nonce", function () {
      const net = pair();
      payDirect(net, "alice", "bob", 1n);
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 1n });
      const replayed = { ...proposal, state: { ...proposal.state, nonce: 1n } };
      expect(() => net.node("bob").accept(replayed)).to.throw(WrongNonceError, "state nonce 1, expected 2");
    });

    it("should take the next state after a proposal the other side never saw, and no far jump", function () {
      const net = pair();
      const alice = net.node("alice");
      alice.propose(1n, { kind: "pay", from: 0, amount: 2n }); // lost on the way: bob never reads it
      alice.abandon(1n);
      const next = payDirect(net, "alice", "bob", 1n);
      expect(next.state.nonce).to.equal(2n);
      expect(net.node("bob").channel(1n).latest.state.nonce).to.equal(2n);
      const proposal = alice.propose(1n, { kind: "pay", from: 0, amount: 1n });
      const state = { ...proposal.state, nonce: proposal.state.nonce + MAX_NONCE_GAP + 1n };
      const signature = new DigestSigner(key("alice")).sign(typedDigest(domainSeparator(DOMAIN), hashState(state)));
      expect(() => net.node("bob").accept({ ...proposal, state, signature })).to.throw(WrongNonceError);
    });

    it("should refuse balances that do not add up, even signed", function () {
      const net = pair();
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 1n });
      const state = { ...proposal.state, balanceB: proposal.state.balanceB + ETH };
      const signature = new DigestSigner(key("alice")).sign(typedDigest(domainSeparator(DOMAIN), hashState(state)));
      expect(() => net.node("bob").accept({ ...proposal, state, signature })).to.throw(BalancesDoNotAddUpError);
    });

    it("should refuse a state for another channel", function () {
      const net = network(
        ["alice", "bob"],
        [
          ["alice", "bob", 1n],
          ["alice", "bob", 2n],
        ],
      );
      const proposal = net.node("alice").propose(2n, { kind: "pay", from: 0, amount: 1n });
      expect(() => net.node("bob").accept({ ...proposal, channelId: 1n })).to.throw(
        StateMismatchError,
        "another channel",
      );
    });

    it("should refuse a change that makes it pay, and a state other than the change", function () {
      const net = pair();
      net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 1n });
      net.node("alice").abandon(1n);
      // alice asks bob to sign "bob pays alice": bob's node only pays when bob proposes.
      const state = {
        ...net.node("alice").channel(1n).latest.state,
        nonce: 1n,
        balanceA: ETH + 5n,
        balanceB: ETH - 5n,
      };
      const signature = new DigestSigner(key("alice")).sign(typedDigest(domainSeparator(DOMAIN), hashState(state)));
      const steal = {
        channelId: 1n,
        change: { kind: "pay" as const, from: 1 as const, amount: 5n },
        state,
        locks: [],
        signature,
      };
      expect(() => net.node("bob").accept(steal)).to.throw(UpdateNotAllowedError, "may not propose this pay");
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 5n });
      const lie = { ...proposal, change: { kind: "pay" as const, from: 0 as const, amount: 6n } };
      expect(() => net.node("bob").accept(lie)).to.throw(StateMismatchError, "balanceA");
    });

    it("should refuse an expired lock and a payment beyond the balance", function () {
      const net = pair();
      const lock = { sender: 0 as const, amount: 1n, expiry: NOW, hashlock: keccak256("0x01") };
      expect(() => net.update("alice", 1n, { kind: "add-lock", lock })).to.throw(LockError, "not after now");
      expect(net.node("bob").channel(1n).latest.state.nonce).to.equal(0n);
      expect(() => payDirect(net, "alice", "bob", 2n * ETH)).to.throw(InsufficientBalanceError);
    });

    it("should refuse the redeem of an expired lock, whose sender may then take it back", function () {
      const net = pair();
      const hashlock = net.node("bob").createInvoice();
      const preimage = net.node("bob").preimages.get(hashlock)!;
      net.update("alice", 1n, { kind: "add-lock", lock: { sender: 0, amount: 10n, expiry: NOW + 60, hashlock } });
      // bob's clock lags; alice's says the lock expired a second ago.
      net.node("alice").clock = () => NOW + 61;
      expect(() => net.update("bob", 1n, { kind: "redeem-lock", hashlock, preimage })).to.throw(LockError, "expired");
      net.node("bob").clock = () => NOW + 61;
      expect(() => net.node("bob").propose(1n, { kind: "redeem-lock", hashlock, preimage })).to.throw(
        LockError,
        "expired",
      );
      // propose() and accept() agree: the sender may cancel an expired lock itself.
      const signed = net.update("alice", 1n, { kind: "cancel-lock", hashlock });
      expect(signed.locks).to.deep.equal([]);
      expect(signed.state.balanceA).to.equal(ETH);
    });

    it("should refuse a lock on the zero preimage's hash, too far out, or beyond the pending-lock cap", function () {
      const net = pair();
      const lock = (hashlock: string, expiry = NOW + 60) => ({ sender: 0 as const, amount: 1n, expiry, hashlock });
      const add = (l: ReturnType<typeof lock>) => net.update("alice", 1n, { kind: "add-lock", lock: l });
      expect(() => add(lock(keccak256(ZeroHash)))).to.throw(LockError, "zero preimage");
      expect(() => add(lock(keccak256("0x01"), NOW + 31 * 86_400))).to.throw(LockError, "away");
      for (let i = 0; i < 16; i++) add(lock(keccak256(`0x${(i + 16).toString(16)}`)));
      expect(() => add(lock(keccak256("0x01")))).to.throw(LockError, "already 16 locks pending");
    });

    it("should refuse a redeem with the wrong preimage", function () {
      const net = pair();
      const hashlock = net.node("bob").createInvoice();
      net.update("alice", 1n, { kind: "add-lock", lock: { sender: 0, amount: 10n, expiry: NOW + 60, hashlock } });
      expect(() => net.update("bob", 1n, { kind: "redeem-lock", hashlock, preimage: ZeroHash })).to.throw(
        LockError,
        "wrong preimage",
      );
    });
  });

  describe("# preimages learnt on L1", function () {
    it("should keep only a preimage that hashes to its lock, and claim the locks owed to it that have not expired", function () {
      const net = pair();
      const preimage = keccak256("0x0a");
      const hashlock = keccak256(preimage);
      const late = keccak256(keccak256("0x0b"));
      net.update("alice", 1n, { kind: "add-lock", lock: { sender: 0, amount: 10n, expiry: NOW + 60, hashlock } });
      net.update("alice", 1n, { kind: "add-lock", lock: { sender: 0, amount: 5n, expiry: NOW + 1, hashlock: late } });
      const bob = net.node("bob");
      expect(bob.learnPreimage(hashlock, keccak256("0x0c"))).to.equal(false);
      expect(bob.learnPreimage(keccak256(ZeroHash), ZeroHash)).to.equal(false);
      expect(bob.learnPreimage(hashlock, preimage)).to.equal(true);
      expect(bob.learnPreimage(late, keccak256("0x0b"))).to.equal(true);
      // Two seconds later the second lock has expired: only the first is claimed.
      for (const name of ["alice", "bob"]) net.node(name).clock = () => NOW + 2;
      expect(claimOwedLocks(net, "bob", NOW + 2)).to.deep.equal([hashlock]);
      const { state, locks } = bob.channel(1n).latest;
      expect(state.balanceB).to.equal(ETH + 10n);
      expect(locks.map((l) => l.hashlock)).to.deep.equal([late]);
    });
  });

  describe("# cooperative close (shutdown)", function () {
    it("should take no update once it signed a cooperative close, on either side", function () {
      const net = pair();
      payDirect(net, "alice", "bob", ETH / 10n);
      const offer = net.node("alice").offerCooperativeClose(1n);
      const proposal = net.node("bob").propose(1n, { kind: "pay", from: 1, amount: ETH / 10n });
      // bob proposed before signing anything; alice, having signed the close, refuses it.
      expect(() => net.node("alice").accept(proposal)).to.throw(UpdateNotAllowedError, "shutdown");
      net.node("bob").abandon(1n);
      net.node("bob").acceptCooperativeClose(offer);
      expect(() => payDirect(net, "alice", "bob", ETH / 10n)).to.throw(UpdateNotAllowedError, "shutdown");
      expect(net.node("bob").channel(1n).closeSignedAt).to.equal(1n);
    });

    it("should not commit to a close it refuses (balances other than its own view)", function () {
      const net = pair();
      const offer = net.node("alice").offerCooperativeClose(1n);
      expect(() => net.node("bob").acceptCooperativeClose({ ...offer, balanceA: offer.balanceA + 1n })).to.throw(
        StateMismatchError,
      );
      expect(net.node("bob").channel(1n).closeSignedAt).to.equal(null);
    });
  });

  describe("# complete and receiveRevocation", function () {
    it("should refuse a forged countersignature and a revocation of the wrong state", function () {
      const net = pair();
      const proposal = net.node("alice").propose(1n, { kind: "pay", from: 0, amount: 1n });
      const acceptance = net.node("bob").accept(proposal);
      expect(() => net.node("alice").complete({ ...acceptance, signature: proposal.signature })).to.throw(
        BadSignatureError,
      );
      expect(() =>
        net.node("alice").complete({ ...acceptance, revocation: { ...acceptance.revocation, nonce: 5n } }),
      ).to.throw(WrongNonceError);
      const revocation = net.node("alice").complete(acceptance);
      expect(() => net.node("bob").receiveRevocation(1n, { ...revocation, nonce: 1n })).to.throw(WrongNonceError);
      expect(() =>
        net.node("bob").receiveRevocation(1n, { ...revocation, signature: acceptance.revocation.signature }),
      ).to.throw(BadSignatureError);
    });
  });

  describe("# findRoute", function () {
    it("should take the fewest hops among channels with the capacity", function () {
      const edges = [
        { channelId: 1n, a: "alice", b: "bob", capacity: 2n * ETH },
        { channelId: 2n, a: "bob", b: "dave", capacity: 2n * ETH },
        { channelId: 3n, a: "alice", b: "carol", capacity: ETH / 10n },
        { channelId: 4n, a: "carol", b: "dave", capacity: 2n * ETH },
        { channelId: 5n, a: "dave", b: "erin", capacity: 2n * ETH },
      ];
      expect(findRoute(edges, "alice", "dave", ETH / 100n)).to.deep.equal(["alice", "bob", "dave"]);
      expect(findRoute(edges, "alice", "erin", ETH)).to.deep.equal(["alice", "bob", "dave", "erin"]);
      expect(
        findRoute(
          edges.filter((e) => e.channelId !== 2n),
          "alice",
          "dave",
          ETH / 100n,
        ),
      ).to.deep.equal(["alice", "carol", "dave"]);
      expect(() =>
        findRoute(
          edges.filter((e) => e.channelId !== 2n),
          "alice",
          "dave",
          ETH,
        ),
      ).to.throw(NoRouteError);
    });
  });

  describe("# payRoute", function () {
    const line = (): ChannelNetwork =>
      network(
        ["alice", "bob", "carol", "dave"],
        [
          ["alice", "bob", 1n],
          ["bob", "carol", 2n],
          ["carol", "dave", 3n],
        ],
      );
    const balances = (net: ChannelNetwork): bigint[] =>
      [1n, 2n, 3n].flatMap((id) => {
        const { state } = net.node(net.endsOf(id)[0]).channel(id).latest;
        return [state.balanceA, state.balanceB];
      });

    it("should lock hop by hop with timeouts shrinking by htlcDelta, then redeem back to the payer", function () {
      const net = line();
      const outcome = payRoute(net, ["alice", "bob", "carol", "dave"], ETH / 10n, { htlcDelta: 600, now: NOW });
      expect(outcome.status).to.equal("paid");
      if (outcome.status !== "paid") return;
      expect(outcome.hops.map((h) => h.lock.expiry)).to.deep.equal([NOW + 1800, NOW + 1200, NOW + 600]);
      const tenth = ETH / 10n;
      expect(balances(net)).to.deep.equal([
        ETH - tenth,
        ETH + tenth,
        ETH - tenth,
        ETH + tenth,
        ETH - tenth,
        ETH + tenth,
      ]);
      expect(net.node("alice").preimages.has(outcome.hashlock)).to.equal(true);
      for (const id of [1n, 2n, 3n]) expect(net.node(net.endsOf(id)[0]).channel(id).latest.locks).to.have.length(0);
    });

    it("should cancel every lock when a node declines, leaving every balance as it was", function () {
      const net = line();
      const before = balances(net);
      const outcome = payRoute(net, ["alice", "bob", "carol", "dave"], ETH / 10n, {
        htlcDelta: 600,
        now: NOW,
        decline: "dave",
      });
      expect(outcome).to.include({ status: "refused", by: "dave", declined: true });
      expect(balances(net)).to.deep.equal(before);
      expect(net.node("alice").channel(1n).latest.state.nonce).to.equal(2n);
    });

    it("should cancel upstream locks when a hop lacks the balance", function () {
      const net = line();
      payDirect(net, "carol", "dave", ETH);
      const outcome = payRoute(net, ["alice", "bob", "carol", "dave"], ETH / 2n, { htlcDelta: 600, now: NOW });
      expect(outcome).to.include({ status: "refused", by: "dave", declined: false });
      expect(net.node("alice").channel(1n).latest.locks).to.have.length(0);
      expect(net.node("bob").channel(2n).latest.locks).to.have.length(0);
    });

    it("should leave the locks up to a stalling node in place", function () {
      const net = line();
      const outcome = payRoute(net, ["alice", "bob", "carol", "dave"], ETH / 10n, {
        htlcDelta: 600,
        now: NOW,
        stall: "carol",
      });
      expect(outcome.status).to.equal("stalled");
      expect(net.node("bob").channel(2n).latest.locks).to.have.length(1);
      expect(net.node("carol").channel(3n).latest.locks).to.have.length(0);
    });
  });
});
