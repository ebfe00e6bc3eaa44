/**
 * Payment channel figures: L1 gas of every channel transaction beside
 * Raiden's published ones, L1 gas per payment against payments per channel
 * lifetime, and off-chain payments per second with real signatures.
 *
 *   npx hardhat run scripts/bench-channels.ts
 *
 * Tables go to stdout, progress to stderr, everything also to
 * bench/out/channels.json (with the git revision). Nothing here asserts a
 * time: the figures are measured, printed and left for people to read.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { performance } from "perf_hooks";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { keccak256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import { deployChannels } from "./deploy-channels";
import { setCryptoBackend, type CryptoBackend } from "../src/channels/crypto";
import { ChannelsL1 } from "../src/channels/l1";
import { lockProof } from "../src/channels/locks";
import { ChannelNetwork } from "../src/channels/network";
import { ChannelNode } from "../src/channels/node";
import { payDirect, payRoute } from "../src/channels/payments";
import type { ChannelDomain, Lock, Parties } from "../src/channels/types";

const ETH = 10n ** 18n;
const PLAIN_TRANSFER_GAS = 21_000;

/** Raiden's figures for its TokenNetwork contract (raiden-contracts gas.json, ERC-20 channels). */
export const RAIDEN_GAS: Record<string, number> = {
  "open with deposit": 146_956,
  "unilateral close": 118_501,
  settle: 108_569,
  "cooperative close": 112_270,
  "redeem one lock": 38_619,
  "settle with 1 lock(s) redeemed in it": 108_569 + 38_619,
  "settle, then redeem 1 lock(s) one by one": 108_569 + 38_619,
};

export interface ChannelBenchResult {
  revision: string;
  assumptions: Record<string, string>;
  gas: Record<string, number>;
  perPayment: { payments: number; cooperative: number; unilateral: number; plainTransfer: number }[];
  offChain: {
    setup: string;
    crypto: CryptoBackend;
    payments: number;
    seconds: number;
    perSecond: number;
    cpuSeconds: number;
    perCpuSecond: number;
  }[];
}

const progress = (line: string): void => {
  process.stderr.write(`bench-channels: ${line}\n`);
};

const gasOf = (receipt: TransactionReceipt): number => Number(receipt.gasUsed);

/** A small world: a fresh contract, named nodes on Hardhat accounts 1.., a shared clock. */
async function world(hre: HardhatRuntimeEnvironment, names: string[]) {
  const deployed = await deployChannels(hre);
  const l1 = new ChannelsL1(deployed.contract);
  const signers = await hre.ethers.getSigners();
  const clock = { now: (await hre.ethers.provider.getBlock("latest"))!.timestamp };
  const network = new ChannelNetwork();
  const account = (name: string): HardhatEthersSigner => signers[1 + names.indexOf(name)];
  for (const name of names) {
    const key = keccak256(toUtf8Bytes(`l2lab/bench/${name}`));
    network.add(new ChannelNode(name, key, account(name).address, deployed.domain, () => clock.now));
  }
  const open = async (a: string, b: string, depositA: bigint, depositB: bigint) => {
    const parties: Parties = {
      accountA: account(a).address,
      accountB: account(b).address,
      signerA: network.node(a).address,
      signerB: network.node(b).address,
    };
    const { channelId, receipt } = await l1.open(account(a), parties, depositA);
    for (const n of [a, b]) network.node(n).addChannel(channelId, parties, depositA);
    network.link(channelId, a, b);
    let deposit: TransactionReceipt | null = null;
    if (depositB > 0n) {
      deposit = await l1.deposit(account(b), channelId, parties, depositB);
      for (const n of [a, b]) network.node(n).recordDeposit(channelId, 1, depositB);
    }
    return { channelId, parties, open: receipt, deposit };
  };
  const advance = async (seconds: number): Promise<void> => {
    await hre.network.provider.send("evm_increaseTime", [seconds]);
    await hre.network.provider.send("evm_mine", []);
    clock.now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  };
  return { deployed, l1, network, account, clock, open, advance, domain: deployed.domain as ChannelDomain };
}

/** Gas of each channel transaction. */
async function measureGas(hre: HardhatRuntimeEnvironment): Promise<Record<string, number>> {
  const gas: Record<string, number> = {};
  const w = await world(hre, ["alice", "bob"]);
  const { l1, network, account } = w;
  const alice = account("alice");
  const bob = account("bob");

  // The very first channel also pays to set the channel counter from zero; report a typical (second) open.
  const first = await w.open("alice", "bob", ETH, ETH);
  gas["open with deposit (first channel ever)"] = gasOf(first.open);
  const c = await w.open("alice", "bob", ETH, ETH);
  gas["open with deposit"] = gasOf(c.open);
  gas["deposit (other side)"] = gasOf(c.deposit!);

  payDirect(network, "alice", "bob", ETH / 10n);
  const offer = network.node("alice").offerCooperativeClose(c.channelId);
  const answer = network.node("bob").acceptCooperativeClose(offer);
  gas["cooperative close"] = gasOf(
    await l1.cooperativeClose(
      alice,
      c.channelId,
      c.parties,
      offer.balanceA,
      offer.balanceB,
      offer.signature,
      answer.signature,
    ),
  );

  // Unilateral close, a penalty dispute, an updating dispute, settle.
  const d = await w.open("alice", "bob", ETH, ETH);
  payDirect(network, "alice", "bob", ETH / 10n);
  const stale = network.node("alice").channel(d.channelId).latest;
  payDirect(network, "alice", "bob", ETH / 10n);
  gas["unilateral close"] = gasOf(await l1.close(alice, d.channelId, d.parties, stale));
  const bobs = network.node("bob").channel(d.channelId);
  gas["dispute with penalty"] = gasOf(
    await l1.dispute(bob, d.channelId, d.parties, stale.state, bobs.latest, bobs.theirRevocation),
  );

  const e = await w.open("alice", "bob", ETH, ETH);
  payDirect(network, "alice", "bob", ETH / 10n);
  const older = network.node("alice").channel(e.channelId).latest;
  payDirect(network, "alice", "bob", ETH / 10n);
  await l1.close(alice, e.channelId, e.parties, older);
  gas["dispute replacing the state"] = gasOf(
    await l1.dispute(bob, e.channelId, e.parties, older.state, network.node("bob").channel(e.channelId).latest, null),
  );
  await w.advance(w.deployed.params.disputePeriod);
  gas["settle"] = gasOf(
    await l1.settle(bob, e.channelId, e.parties, network.node("bob").channel(e.channelId).latest.state),
  );

  // Settling with pending locks (1 and 6, all redeemable with their preimages): in the settle transaction
  // (settleWithLocks), or settled first and redeemed one by one.
  for (const count of [1, 6]) {
    for (const oneByOne of [false, true]) {
      const h = await w.open("alice", "bob", ETH, ETH);
      for (let i = 0; i < count; i++) {
        const hashlock = network.node("bob").createInvoice();
        const expiry = w.clock.now + 3 * w.deployed.params.disputePeriod;
        network.update("alice", h.channelId, {
          kind: "add-lock",
          lock: { sender: 0, amount: ETH / 100n, expiry, hashlock },
        });
      }
      const signed = network.node("alice").channel(h.channelId).latest;
      const preimages = signed.locks.map((lock) => network.node("bob").preimages.get(lock.hashlock)!);
      await l1.close(alice, h.channelId, h.parties, signed);
      await w.advance(w.deployed.params.disputePeriod);
      if (!oneByOne) {
        gas[`settle with ${count} lock(s) redeemed in it`] = gasOf(
          await l1.settleWithLocks(bob, h.channelId, h.parties, signed.state, signed.locks, preimages),
        );
        continue;
      }
      let total = gasOf(await l1.settle(bob, h.channelId, h.parties, signed.state));
      const decided = new Set<number>();
      for (const [index, lock] of signed.locks.entries()) {
        const proof = lockProof(signed.locks, index, decided);
        decided.add(index);
        const receipt = await l1.redeemLock(bob, h.channelId, h.parties, lock, proof, preimages[index]);
        total += gasOf(receipt);
        if (count === 1) gas["redeem one lock"] = gasOf(receipt);
      }
      gas[`settle, then redeem ${count} lock(s) one by one`] = total;
    }
  }

  // A refund after expiry, for completeness.
  const r = await w.open("alice", "bob", ETH, ETH);
  const hashlock = network.node("bob").createInvoice();
  network.update("alice", r.channelId, {
    kind: "add-lock",
    lock: { sender: 0, amount: ETH / 100n, expiry: w.clock.now + 60, hashlock },
  });
  const locked = network.node("alice").channel(r.channelId).latest;
  await l1.close(alice, r.channelId, r.parties, locked);
  await w.advance(w.deployed.params.disputePeriod);
  await l1.settle(alice, r.channelId, r.parties, locked.state);
  gas["refund one expired lock"] = gasOf(await l1.refundLock(alice, r.channelId, r.parties, locked.locks[0], []));
  gas["reveal a secret"] = gasOf(
    await l1.revealSecret(bob, network.node("bob").preimages.get(network.node("bob").createInvoice())!),
  );
  return gas;
}

/** L1 gas per payment when a channel carries `payments` payments in its life (all made and signed for real). */
async function measurePerPayment(hre: HardhatRuntimeEnvironment): Promise<ChannelBenchResult["perPayment"]> {
  const rows: ChannelBenchResult["perPayment"] = [];
  const w = await world(hre, ["alice", "bob"]);
  const alice = w.account("alice");
  await w.open("alice", "bob", ETH, 0n); // the counter's first write is not part of a typical lifetime
  for (const payments of [1, 10, 100, 1000]) {
    progress(`lifetime of ${payments} payment(s)`);
    // Cooperative: open, pay, close at once.
    const a = await w.open("alice", "bob", ETH, 0n);
    for (let i = 0; i < payments; i++) payDirect(w.network, "alice", "bob", 10n ** 12n);
    const offer = w.network.node("alice").offerCooperativeClose(a.channelId);
    const answer = w.network.node("bob").acceptCooperativeClose(offer);
    const coop =
      gasOf(a.open) +
      gasOf(
        await w.l1.cooperativeClose(
          alice,
          a.channelId,
          a.parties,
          offer.balanceA,
          offer.balanceB,
          offer.signature,
          answer.signature,
        ),
      );
    // Unilateral: open, pay, close alone, settle after the dispute period.
    const b = await w.open("alice", "bob", ETH, 0n);
    for (let i = 0; i < payments; i++) payDirect(w.network, "alice", "bob", 10n ** 12n);
    const latest = w.network.node("alice").channel(b.channelId).latest;
    const close = gasOf(await w.l1.close(alice, b.channelId, b.parties, latest));
    await w.advance(w.deployed.params.disputePeriod);
    const settle = gasOf(await w.l1.settle(alice, b.channelId, b.parties, latest.state));
    rows.push({
      payments,
      cooperative: Math.round(coop / payments),
      unilateral: Math.round((gasOf(b.open) + close + settle) / payments),
      plainTransfer: PLAIN_TRANSFER_GAS,
    });
  }
  return rows;
}

/** Off-chain payments per second between in-process nodes (no L1 in the loop: channels opened off-chain). */
function measureThroughput(domain: ChannelDomain): ChannelBenchResult["offChain"] {
  const rows: ChannelBenchResult["offChain"] = [];
  const names = ["alice", "bob", "carol", "dave"];
  const setup = (): ChannelNetwork => {
    const network = new ChannelNetwork();
    for (const name of names) {
      const key = keccak256(toUtf8Bytes(`l2lab/bench/${name}`));
      network.add(
        new ChannelNode(
          name,
          key,
          `0x${"00".repeat(19)}${(names.indexOf(name) + 1).toString(16).padStart(2, "0")}`,
          domain,
          () => 1_800_000_000,
        ),
      );
    }
    names.slice(1).forEach((name, i) => {
      const [a, b] = [names[i], name];
      const id = BigInt(i + 1);
      const parties: Parties = {
        accountA: network.node(a).account,
        accountB: network.node(b).account,
        signerA: network.node(a).address,
        signerB: network.node(b).address,
      };
      for (const n of [a, b]) {
        network.node(n).addChannel(id, parties, 1000n * ETH);
        network.node(n).recordDeposit(id, 1, 1000n * ETH);
      }
      network.link(id, a, b);
    });
    return network;
  };
  for (const crypto of ["native", "ethers"] as CryptoBackend[]) {
    const previous = setCryptoBackend(crypto);
    try {
      const direct = crypto === "native" ? 3000 : 300;
      const routed = crypto === "native" ? 300 : 30;
      let network = setup();
      for (let i = 0; i < 20; i++) payDirect(network, "alice", "bob", 1n); // warm up
      network = setup();
      const timed = (setupName: string, payments: number, pay: (i: number) => void): void => {
        progress(`${payments} payments, ${setupName} (${crypto} secp256k1)`);
        const cpu = process.cpuUsage();
        const start = performance.now();
        for (let i = 0; i < payments; i++) pay(i);
        const seconds = (performance.now() - start) / 1000;
        const used = process.cpuUsage(cpu);
        const cpuSeconds = (used.user + used.system) / 1e6;
        rows.push({
          setup: setupName,
          crypto,
          payments,
          seconds,
          perSecond: Math.round(payments / seconds),
          cpuSeconds,
          perCpuSecond: Math.round(payments / cpuSeconds),
        });
      };
      timed("direct, 2 nodes", direct, () => payDirect(network, "alice", "bob", 1n));
      timed("routed, 3 hops", routed, (i) => {
        const outcome = payRoute(network, names, 1n, { htlcDelta: 3600, now: 1_800_000_000 });
        if (outcome.status !== "paid") throw new Error(`routed payment ${i} ${outcome.status}`);
      });
    } finally {
      setCryptoBackend(previous);
    }
  }
  return rows;
}

export async function benchChannels(hre: HardhatRuntimeEnvironment): Promise<ChannelBenchResult> {
  const { gitRevision } = await import("../src/bench/git").catch(() => ({ gitRevision: () => "unknown" }));
  progress("L1 gas of each channel transaction");
  const gas = await measureGas(hre);
  const perPayment = await measurePerPayment(hre);
  const { chainId } = await hre.ethers.provider.getNetwork();
  const offChain = measureThroughput({ chainId, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
  return {
    revision: gitRevision(process.cwd()),
    assumptions: {
      chain: `Hardhat ${hre.network.name}, hardfork ${(hre.network.config as { hardfork?: string }).hardfork ?? "default"} (EIP-7623 calldata floor)`,
      raiden: "raiden-contracts gas.json figures (ERC-20 token channels, before EIP-7623)",
      perPayment:
        "one-sided channel (only A deposits), 0.000001 ETH per payment, gas of open + close (+ settle) divided by payments",
      offChain:
        "one Node.js thread; each payment is a proposal, a countersignature and two revocations (4 signatures, 4 recoveries)",
      machine: `${process.platform} ${process.arch}, Node ${process.version}, load average ${(require("os") as typeof import("os")).loadavg()[0].toFixed(2)}`,
    },
    gas,
    perPayment,
    offChain,
  };
}

function print(result: ChannelBenchResult): void {
  const out = (line = ""): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`Payment channels, revision ${result.revision}`);
  out();
  out("L1 gas per transaction            ours      Raiden");
  for (const [what, gas] of Object.entries(result.gas)) {
    const raiden = RAIDEN_GAS[what];
    out(
      `  ${what.padEnd(40)} ${gas.toLocaleString("en-US").padStart(9)} ${raiden ? raiden.toLocaleString("en-US").padStart(11) : ""}`,
    );
  }
  out();
  out("L1 gas per payment over a channel's life (plain ETH transfer: 21,000)");
  out("  payments   cooperative close   unilateral close + settle");
  for (const row of result.perPayment) {
    out(
      `  ${String(row.payments).padStart(8)}   ${row.cooperative.toLocaleString("en-US").padStart(17)}   ${row.unilateral.toLocaleString("en-US").padStart(25)}`,
    );
  }
  out();
  out("Off-chain payments per second (real signatures, one thread; per CPU-second = on one whole core)");
  for (const row of result.offChain) {
    out(
      `  ${row.setup.padEnd(16)} ${row.crypto.padEnd(7)} ${String(row.payments).padStart(5)} payments: ` +
        `${row.seconds.toFixed(2)} s wall = ${row.perSecond} /s, ${row.cpuSeconds.toFixed(2)} s CPU = ${row.perCpuSecond} /s`,
    );
  }
  out();
  out(`load average at the end: ${result.assumptions.machine}`);
}

async function main(): Promise<void> {
  const hre = (await import("hardhat")).default;
  const result = await benchChannels(hre);
  print(result);
  const dir = join(process.cwd(), "bench", "out");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "channels.json"), `${JSON.stringify(result, null, 2)}\n`);
  progress(`written to ${join("bench", "out", "channels.json")}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
