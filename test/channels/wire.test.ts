import { expect } from "chai";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { ApiError } from "../../src/net/http";
import { ChannelNode } from "../../src/channels/node";
import type { ChannelDomain, Parties } from "../../src/channels/types";
import {
  AcceptanceSchema,
  CloseOfferSchema,
  ProposalSchema,
  WatchedChannelSchema,
  decode,
} from "../../src/channels/wire";

const ETH = 10n ** 18n;
const DOMAIN: ChannelDomain = { chainId: 31337n, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const NOW = 1_800_000_000;

/** What travels between node processes: JSON with bigints as decimal strings (src/net/client.ts). */
const overTheWire = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

function pair(): [ChannelNode, ChannelNode] {
  const nodes = ["alice", "bob"].map(
    (name) =>
      new ChannelNode(
        name,
        keccak256(toUtf8Bytes(`l2lab/test/wire/${name}`)),
        new Wallet(keccak256(toUtf8Bytes(`l2lab/test/wire/account/${name}`))).address,
        DOMAIN,
        () => NOW,
      ),
  ) as [ChannelNode, ChannelNode];
  const parties: Parties = {
    accountA: nodes[0].account,
    accountB: nodes[1].account,
    signerA: nodes[0].address,
    signerB: nodes[1].address,
  };
  for (const node of nodes) node.addChannel(1n, parties, ETH);
  return nodes;
}

describe("# channel wire messages (src/channels/wire.ts)", function () {
  it("should give back every message of an update exactly as the node made it", function () {
    const [alice, bob] = pair();
    const lock = { sender: 0 as const, amount: ETH / 10n, expiry: NOW + 600, hashlock: bob.createInvoice() };
    const proposal = alice.propose(1n, { kind: "add-lock", lock });
    const decoded = decode(ProposalSchema, overTheWire(proposal));
    expect(decoded).to.deep.equal(proposal);
    const acceptance = bob.accept(decoded);
    expect(decode(AcceptanceSchema, overTheWire(acceptance))).to.deep.equal(acceptance);
    const revocation = alice.complete(decode(AcceptanceSchema, overTheWire(acceptance)));
    bob.receiveRevocation(1n, revocation);
    const watched = {
      channelId: 1n,
      parties: bob.channel(1n).parties,
      clientSide: 1 as const,
      latest: bob.channel(1n).latest,
      revocation: bob.channel(1n).theirRevocation,
    };
    expect(decode(WatchedChannelSchema, overTheWire(watched))).to.deep.equal(watched);
  });

  it("should refuse a malformed message naming every bad field", function () {
    const [alice] = pair();
    const offer = overTheWire(alice.offerCooperativeClose(1n)) as Record<string, unknown>;
    const bad = { ...offer, channelId: 1, balanceA: "-5", balanceB: "1".repeat(80), signature: "0x12" };
    try {
      decode(CloseOfferSchema, bad);
      expect.fail("decoded a malformed offer");
    } catch (error) {
      expect(error).to.be.instanceOf(ApiError);
      expect((error as ApiError).status).to.equal(400);
      for (const field of ["channelId", "balanceA", "balanceB", "signature"])
        expect((error as ApiError).message).to.contain(`${field}:`);
    }
  });
});
