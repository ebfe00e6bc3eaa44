/**
 * Layered fixtures for the optimistic rollup tests: deployed (through
 * scripts/deploy-optimistic.ts) → funded (three deposits in batch 1).
 */
import hre, { ethers } from "hardhat";
import fc from "fast-check";
import { Wallet, parseEther, type Signer } from "ethers";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { Operator } from "../../src/optimistic/operator";
import { readL1 } from "../../src/optimistic/l1-view";
import { rebuild } from "../../src/optimistic/watcher";
import { signWithdraw } from "../../src/optimistic/client";
import type { OptimisticRollup } from "../../typechain-types";
import type { BlobSource } from "../../src/optimistic/blob-archive";

export const CHALLENGE_PERIOD = 7200;
export const FORCE_DELAY = 3600;

export interface Users {
  names: string[];
  l2: Wallet[];
}

export async function deployedFixture() {
  const [opSigner, alice, bob, carol, dave] = await ethers.getSigners();
  const { rollup, params } = await deployOptimistic(hre, opSigner, {
    challengePeriod: CHALLENGE_PERIOD,
    forceInclusionDelay: FORCE_DELAY,
    batchSize: 64,
  });
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const operatorKey = Wallet.createRandom();
  const operator = new Operator(rollup, opSigner, operatorKey.address, params, domain);
  const l1 = [alice, bob, carol];
  const l2 = [0, 1, 2].map((i) => new Wallet(ethers.keccak256(ethers.toUtf8Bytes(`optimistic test user ${i}`))));
  return { rollup, operator, params, domain, opSigner, l1, l2, challenger: dave, operatorKey };
}

export async function fundedFixture() {
  const f = await deployedFixture();
  for (let i = 0; i < 3; i++) {
    await (await f.rollup.connect(f.l1[i]).deposit(f.l2[i].address, { value: parseEther(String(i + 1)) })).wait();
  }
  await f.operator.postPending();
  const accounts = f.l2.map((w) => f.operator.state.findAccount(w.address)!);
  return { ...f, accounts };
}

/**
 * loadFixture reverts the chain but hands back the same objects, so each test takes a fresh operator restored
 * from L1 instead of the fixture's (whose off-chain state an earlier test may have moved on).
 */
export async function freshOperator(f: Awaited<ReturnType<typeof deployedFixture>>): Promise<Operator> {
  const operator = new Operator(f.rollup, f.opSigner, f.operatorKey.address, f.params, f.domain);
  await operator.restoreFromL1();
  return operator;
}

/** Bridge ETH that L2 owes: balances + unclaimed exits of standing batches + unconsumed deposits + bond. */
export async function liabilities(rollup: OptimisticRollup, blobs?: BlobSource): Promise<bigint> {
  const view = await readL1(rollup, blobs);
  const { state, exits } = rebuild(view);
  let total = 0n;
  for (const [index, account] of state.accounts) {
    // INVARIANT (checked here from the chain): an escaped account is paid out and owed nothing more.
    if (view.frozen && (await rollup.escaped(index))) continue;
    total += account.balance;
  }
  for (const exit of exits) {
    const key = ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["uint256", "uint256", "uint256"],
        [exit.batchId, exit.chunkIndex, exit.position],
      ),
    );
    if (!(await rollup.exitClaimed(key))) total += exit.amount;
  }
  // Deposits no valid standing batch consumed (an invalid batch's consumption does not count).
  for (const d of view.deposits.slice(state.depositCursor))
    if (!(await rollup.isDepositRefunded(d.index))) total += d.amount;
  if (await rollup.bonded()) total += await rollup.BOND();
  return total;
}

/**
 * A property run's honest user: withdraws `permille` of its L2 balance to its own L1 account through `operator`'s
 * pool. Returns false when it has no account or nothing to withdraw.
 */
export async function acceptWithdrawal(
  operator: Operator,
  domain: Buffer,
  l1: Signer,
  l2: Wallet,
  permille: number,
): Promise<boolean> {
  const state = operator.projected();
  const index = state.findAccount(l2.address);
  if (index === undefined) return false;
  const account = state.account(index);
  const amount = (account.balance * BigInt(permille)) / 1000n;
  if (amount === 0n) return false;
  operator.accept(
    signWithdraw(domain, l2.signingKey, {
      from: index,
      recipient: await l1.getAddress(),
      amount,
      fee: 0n,
      nonce: account.nonce,
    }),
  );
  return true;
}

/** The property runs' honest actions: a deposit, a withdrawal, a batch of what the pool holds. */
export type HonestUserAction =
  | { kind: "deposit"; user: number; milli: number }
  | { kind: "withdraw"; user: number; permille: number }
  | { kind: "honest-batch" };

/** One of the three users of fundedFixture and blobFundedFixture. */
export const user = fc.nat(2);

/** The honest actions, weighted for fc.oneof. */
export const HONEST_USER_ACTIONS = [
  {
    arbitrary: fc.record({ kind: fc.constant("deposit" as const), user, milli: fc.integer({ min: 1, max: 3000 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("withdraw" as const), user, permille: fc.integer({ min: 1, max: 1000 }) }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: "honest-batch" as const }), weight: 1 },
];
