/**
 * Lesson 7 checks (docs/lessons/07-attacks): the learner removes the frozen-lock defence from a copy of
 * PaymentChannels; the copy is compiled in memory under another name (PaymentChannelsLab), deployed on the
 * Hardhat chain, and attacked from the attacker's side, straight against its ABI: there the attack must
 * win (the lock's ETH stays in the contract for good), while the real PaymentChannels still stops it.
 * Also checks that the walk-through's table of defences points at real functions and `// INVARIANT:` lines.
 */
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Contract, ContractFactory, keccak256, toUtf8Bytes, Wallet, ZeroHash, type InterfaceAbi } from "ethers";
import { readFileSync } from "fs";
import { join } from "path";
import { DigestSigner } from "../../src/channels/crypto";
import { lockProof, locksRoot } from "../../src/channels/locks";
import { domainSeparator, hashState, typedDigest } from "../../src/channels/state";
import type { ChannelState, Lock, Parties } from "../../src/channels/types";
import * as exercise from "../../docs/lessons/07-attacks/exercise";
import * as solution from "../../docs/lessons/07-attacks/solution";
import { attempt, implementations } from "./check";

const ROOT = join(__dirname, "..", "..");
const ORIGINAL = "contracts/channels/PaymentChannels.sol";
const LAB = "contracts/channels/PaymentChannelsLab.sol";
const ETH = 10n ** 18n;
const DISPUTE_PERIOD = 86_400;
const HTLC_DELTA = 3_600;

const original = (): string => readFileSync(join(ROOT, ORIGINAL), "utf8");

/** Compiled copies by source text: the exercise and the solution often hand in the same one. */
const compiled = new Map<string, { abi: InterfaceAbi; bytecode: string }>();

/**
 * Compiles `source` as PaymentChannelsLab with the project's compiler and settings, in memory: its imports
 * are read from contracts/, nothing is written there, and Hardhat's artifacts do not change.
 */
function compileLab(source: string): { abi: InterfaceAbi; bytecode: string } {
  const renamed = source.replace(/\bcontract PaymentChannels\b/, "contract PaymentChannelsLab");
  const hit = compiled.get(renamed);
  if (hit) return hit;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { compile(input: string, options: object): string };
  const settings = hre.config.solidity.compilers[0].settings as object;
  const input = {
    language: "Solidity",
    sources: { [LAB]: { content: renamed } },
    settings: { ...settings, outputSelection: { [LAB]: { PaymentChannelsLab: ["abi", "evm.bytecode.object"] } } },
  };
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(join(ROOT, path), "utf8") };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { abi: InterfaceAbi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0)
    throw new Error(`your copy does not compile:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const lab = output.contracts![LAB].PaymentChannelsLab;
  const result = { abi: lab.abi, bytecode: `0x${lab.evm.bytecode.object}` };
  compiled.set(renamed, result);
  return result;
}

interface AttackOutcome {
  /** Whether L1 recorded the zero preimage as revealed. */
  zeroRevealAccepted: boolean;
  /** ETH the contract still holds for the channel's lock after both sides tried to take it. */
  stuck: bigint;
  /** What alice got back from her lock. */
  refunded: boolean;
}

/**
 * The frozen-lock attack, from alice's side, straight against `channels`' ABI: a state both keys signed
 * (a careless node) locks 0.25 ETH to keccak256(bytes32(0)); alice closes on it, reveals the zero
 * preimage, waits out the dispute period and the lock's expiry, settles, and then each side tries to take
 * the lock: bob redeems with the zero preimage, alice asks for a refund.
 */
async function frozenLockAttack(channels: Contract): Promise<AttackOutcome> {
  const [, aliceAccount, bobAccount] = await hre.ethers.getSigners();
  const key = (name: string) => new Wallet(keccak256(toUtf8Bytes(`l2lab/lesson-07/${name}`)));
  const parties: Parties = {
    accountA: aliceAccount.address,
    accountB: bobAccount.address,
    signerA: key("alice").address,
    signerB: key("bob").address,
  };
  const asAlice = channels.connect(aliceAccount) as Contract;
  const opened = await (await asAlice.getFunction("open")(parties, { value: ETH })).wait();
  const channelId = channels.interface.parseLog(opened!.logs[0])!.args.channelId as bigint;
  await (
    await (channels.connect(bobAccount) as Contract).getFunction("deposit")(channelId, parties, { value: ETH })
  ).wait();

  const now = await time.latest();
  const lock: Lock = { sender: 0, amount: ETH / 4n, expiry: now + HTLC_DELTA, hashlock: keccak256(ZeroHash) };
  const state: ChannelState = {
    channelId,
    nonce: 1n,
    depositA: ETH,
    depositB: ETH,
    balanceA: ETH - lock.amount,
    balanceB: ETH,
    locksRoot: locksRoot([lock]),
  };
  const { chainId } = await hre.ethers.provider.getNetwork();
  const domain = { chainId, verifyingContract: await channels.getAddress() };
  const digest = typedDigest(domainSeparator(domain), hashState(state));
  const sigA = new DigestSigner(key("alice").privateKey).sign(digest);
  const sigB = new DigestSigner(key("bob").privateKey).sign(digest);

  await (await asAlice.getFunction("close")(channelId, parties, state, sigA, sigB)).wait();
  let zeroRevealAccepted = true;
  try {
    await (await asAlice.getFunction("revealSecret")(ZeroHash)).wait();
  } catch {
    zeroRevealAccepted = false; // refused or not, the attack goes on
  }
  await time.increase(DISPUTE_PERIOD + 2 * HTLC_DELTA);
  await (await asAlice.getFunction("settle")(channelId, parties, state)).wait();
  const proof = lockProof([lock], 0);
  await (channels.connect(bobAccount) as Contract)
    .getFunction("redeemLock")(channelId, parties, lock, proof, ZeroHash)
    .then((tx) => tx.wait())
    .catch(() => undefined);
  let refunded = true;
  try {
    await (await asAlice.getFunction("refundLock")(channelId, parties, lock, proof)).wait();
  } catch {
    refunded = false;
  }
  const [, , , , locked] = (await channels.getFunction("channel")(channelId)) as bigint[];
  return { zeroRevealAccepted, stuck: locked, refunded };
}

/** Lines of `copy` are lines of `source`, in order: only deletions. */
function onlyDeletes(source: string, copy: string): boolean {
  const lines = source.split("\n");
  let at = 0;
  for (const line of copy.split("\n")) {
    while (at < lines.length && lines[at] !== line) at++;
    if (at === lines.length) return false;
    at++;
  }
  return true;
}

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 07-attacks (${label})`, function () {
    describe("# withoutFrozenLockDefence", function () {
      it("should delete lines of PaymentChannels.sol and change nothing else", async function () {
        const source = original();
        const copy = await attempt(this, () => impl.withoutFrozenLockDefence(source));
        expect(copy, "the copy is PaymentChannels.sol unchanged: delete the line the INVARIANT guards").to.not.equal(
          source,
        );
        expect(onlyDeletes(source, copy), "the copy changes or adds a line: delete lines only").to.equal(true);
        expect(copy).to.contain("function revealSecret(bytes32 preimage) external");
      });

      it("should let the frozen-lock attack win against the copy: the lock's ETH stays in the contract", async function () {
        const copy = await attempt(this, () => impl.withoutFrozenLockDefence(original()));
        const { abi, bytecode } = compileLab(copy);
        const [deployer] = await hre.ethers.getSigners();
        const lab = (await new ContractFactory(abi, bytecode, deployer).deploy(DISPUTE_PERIOD)) as Contract;
        const outcome = await frozenLockAttack(lab);
        expect(outcome.zeroRevealAccepted, "PaymentChannelsLab still refuses to reveal the zero preimage").to.equal(
          true,
        );
        expect(outcome.refunded, "alice got her lock back: the attack did not win").to.equal(false);
        expect(outcome.stuck, "ETH the copy holds for a lock nobody can ever take").to.equal(ETH / 4n);
        expect(await hre.ethers.provider.getBalance(await lab.getAddress())).to.equal(ETH / 4n);
      });

      it("should still lose against the real PaymentChannels: the zero preimage is refused, the lock refunded", async function () {
        await attempt(this, () => impl.withoutFrozenLockDefence(original()));
        const channels = (await hre.ethers.deployContract("PaymentChannels", [DISPUTE_PERIOD])) as unknown as Contract;
        const outcome = await frozenLockAttack(channels);
        expect(outcome).to.deep.equal({ zeroRevealAccepted: false, stuck: 0n, refunded: true });
        expect(await hre.ethers.provider.getBalance(await channels.getAddress())).to.equal(0n);
      });
    });
  });
}

describe("# lesson 07-attacks walk-through", function () {
  it("should point at functions and // INVARIANT: lines that exist, inside those functions", function () {
    const readme = readFileSync(join(ROOT, "docs", "lessons", "07-attacks", "README.md"), "utf8");
    // Rows of the defences table: | scenario | `file` | `function` | INVARIANT text |
    const rows = [...readme.matchAll(/^\| `(scenarios\/[^`]+)`\s*\| `([^`]+)`\s*\| `([^`]+)`\s*\| (.+?)\s*\|$/gm)];
    expect(rows.length, "the defences table").to.be.greaterThan(10);
    for (const [, scenario, file, fn, invariant] of rows) {
      expect(() => readFileSync(join(ROOT, scenario)), scenario).not.to.throw();
      const code = readFileSync(join(ROOT, file), "utf8");
      const start = code.search(new RegExp(`(function |\\n  )${fn.replace(/\(\)$/, "")}\\(`));
      expect(start, `${file}: no function ${fn}`).to.be.greaterThan(-1);
      const next = code.slice(start + 1).search(/\n\s*(\/\*\*|function |export function )/);
      const body = code.slice(start, next < 0 ? undefined : start + 1 + next);
      const text = invariant.replace(/^"|"$/g, "").replace(/…$/, "");
      expect(body, `${file} ${fn}: no "// INVARIANT: ${text}"`).to.contain(`// INVARIANT: ${text}`);
    }
  });
});
