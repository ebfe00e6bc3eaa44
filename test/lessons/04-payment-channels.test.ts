/**
 * Lesson 4 checks (docs/lessons/04-payment-channels): the learner's lock expiries are the ones a real routed
 * payment signs into its states, and keep every forwarding node safe; the learner's scenario makes a
 * watchtower punish a stale close on the real PaymentChannels contract.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { deployChannels } from "../../scripts/deploy-channels";
import { ChannelsL1 } from "../../src/channels/l1";
import { ChannelNetwork } from "../../src/channels/network";
import { ChannelNode } from "../../src/channels/node";
import { payRoute } from "../../src/channels/payments";
import { parseScenario } from "../../src/scenario/validate";
import { runScenario } from "../../src/scenario/runner";
import { failureOf } from "../../src/scenario/result";
import * as exercise from "../../docs/lessons/04-payment-channels/exercise";
import * as solution from "../../docs/lessons/04-payment-channels/solution";
import { attempt, implementations } from "./check";

const ETH = 10n ** 18n;
const SOURCE = "docs/lessons/04-payment-channels";
const LINE = ["alice", "bob", "carol", "dave"];

/** alice - bob - carol - dave, each channel opened on L1 with 1 ETH a side, through scripts/deploy-channels.ts. */
async function lineFixture() {
  const deployed = await deployChannels(hre);
  const l1 = new ChannelsL1(deployed.contract);
  const signers = await hre.ethers.getSigners();
  const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  const clock = { now };
  const network = new ChannelNetwork();
  const account = (name: string) => signers[1 + LINE.indexOf(name)];
  for (const name of LINE) {
    const key = new Wallet(keccak256(toUtf8Bytes(`l2lab/lesson/${name}`)));
    network.add(new ChannelNode(name, key.privateKey, account(name).address, deployed.domain, () => clock.now));
  }
  for (let i = 0; i + 1 < LINE.length; i++) {
    const [a, b] = [LINE[i], LINE[i + 1]];
    const parties = {
      accountA: account(a).address,
      accountB: account(b).address,
      signerA: network.node(a).address,
      signerB: network.node(b).address,
    };
    const { channelId } = await l1.open(account(a), parties, ETH);
    await l1.deposit(account(b), channelId, parties, ETH);
    for (const name of [a, b]) {
      network.node(name).addChannel(channelId, parties, ETH);
      network.node(name).recordDeposit(channelId, 1, ETH);
    }
    network.link(channelId, a, b);
  }
  return { network, now };
}

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 04-payment-channels (${label})`, function () {
    describe("# lockExpiries", function () {
      it("should give the expiries a routed payment signs into each hop's lock", async function () {
        const { network, now } = await loadFixture(lineFixture);
        await attempt(this, () => impl.lockExpiries(now, 1, 3600));
        for (let hops = 1; hops < LINE.length; hops++) {
          for (const htlcDelta of [60, 3600]) {
            const outcome = payRoute(network.clone(), LINE.slice(0, hops + 1), ETH / 10n, { htlcDelta, now });
            expect(outcome.status, `${hops} hop(s), delta ${htlcDelta}`).to.equal("paid");
            const signed = outcome.status === "paid" ? outcome.hops.map((h) => h.lock.expiry) : [];
            expect(impl.lockExpiries(now, hops, htlcDelta), `${hops} hop(s), delta ${htlcDelta}`).to.deep.equal(signed);
          }
        }
      });

      it("should leave every forwarding node htlcDelta to redeem upstream, and expire after now", async function () {
        await attempt(this, () => impl.lockExpiries(0, 1, 1));
        fc.assert(
          fc.property(
            fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
            fc.integer({ min: 1, max: 20 }),
            fc.integer({ min: 1, max: 86_400 }),
            (now, hops, delta) => {
              const expiries = impl.lockExpiries(now, hops, delta);
              const input = `now ${now}, ${hops} hop(s), htlcDelta ${delta}: yours [${expiries.join(", ")}]`;
              expect(expiries.length, `${input}: one expiry per hop`).to.equal(hops);
              expect(expiries[hops - 1] > now, `${input}: the receiver's lock must expire after now`).to.equal(true);
              expiries.forEach((e, i) => {
                if (i > 0)
                  expect(expiries[i - 1] - e >= delta, `${input}: hop ${i} leaves less than htlcDelta`).to.equal(true);
              });
            },
          ),
        );
      });
    });

    describe("# penaltyScenario", function () {
      it("should be a valid channels scenario where the tower, not its client, answers a stale close", async function () {
        const scenario = parseScenario(JSON.stringify(await attempt(this, () => impl.penaltyScenario())), SOURCE);
        expect(scenario.system).to.equal("channels");
        const tower = scenario.steps.findIndex((s) => s.do === "watchtower");
        const stale = scenario.steps.findIndex((s) => s.do === "close" && s.state === "stale");
        expect(tower, "a watchtower step").to.be.at.least(0);
        expect(stale, "a stale unilateral close after it").to.be.greaterThan(tower);
        expect(scenario.steps[stale].with, "the close is against the tower's client").to.equal(
          scenario.steps[tower].for,
        );
        expect(
          scenario.steps.some((s) => s.do === "dispute" && !s.expectRevert),
          "no dispute by hand",
        ).to.equal(false);
        const cheater = scenario.steps[stale].by as string;
        const payouts = scenario.steps
          .slice(stale)
          .map((s) => (s.onchain as { payout?: Record<string, string> } | undefined)?.payout?.[cheater]);
        expect(payouts, "an onchain payout of 0 to the cheater").to.include("0");
      });

      it("should run green: PaymentChannels penalizes the closer and pays the whole channel to the other side", async function () {
        this.timeout(60_000);
        const scenario = parseScenario(JSON.stringify(await attempt(this, () => impl.penaltyScenario())), SOURCE);
        const stale = scenario.steps.find((s) => s.do === "close" && s.state === "stale")!;
        const lines: string[] = [];
        const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
        try {
          const result = await runScenario(hre, scenario, {
            source: SOURCE,
            print: (l) => lines.push(l),
            color: false,
          });
          expect(result.ok, `${failureOf(result)}\n${lines.join("\n")}`).to.equal(true);
          const channels = await hre.ethers.getContractAt("PaymentChannels", result.contracts.PaymentChannels);
          const penalties = await channels.queryFilter(channels.filters.ChannelPenalized());
          expect(penalties, "ChannelPenalized events").to.have.length(1);
          expect(penalties[0].args.cheater).to.equal(result.people[stale.by as string].l1);
          expect(penalties[0].args.beneficiary).to.equal(result.people[stale.with as string].l1);
        } finally {
          await hre.network.provider.send("evm_revert", [snapshot]);
        }
      });
    });
  });
}
