import chai, { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  HONEST_USER_ACTIONS,
  HonestUserAction,
  user,
  acceptWithdrawal,
  freshOperator,
  fundedFixture,
} from "./fixtures";
import { emptyExitRoot, expectSolvent, submitBatchData, wrongRootBatch } from "./attacks/attacker";
import { signEscape } from "../../src/optimistic/client";
import { readL1 } from "../../src/optimistic/l1-view";
import { Watcher, buildExitClaim, buildFraudProof, rebuild, submitFraudProof } from "../../src/optimistic/watcher";
import { describeDeep, runs } from "../support/deep";
import { batchRecord, tipRecord, freezeArgs } from "../../src/optimistic/records";

/**
 * Solvency with a hostile operator: honest users deposit, withdraw, claim, freeze and escape; an honest watcher
 * proves every invalid batch before its window ends; the operator, in between, posts valid and invalid batches,
 * proves its own fraud, spams empty batches, copies proofs without committing, censors (posts nothing) and tries
 * to unbond, all at random, against the real contract. After every action the bridge holds at least what it owes.
 */
type Action =
  | HonestUserAction
  | { kind: "invalid-batch" }
  | { kind: "self-prove"; newest: boolean }
  | { kind: "self-slash"; batches: number }
  | { kind: "spam"; count: number }
  | { kind: "copy-proof" }
  | { kind: "challenge" }
  | { kind: "wait"; seconds: number }
  | { kind: "claim"; user: number }
  | { kind: "freeze"; user: number }
  | { kind: "escape"; user: number }
  | { kind: "unbond" };

const arbAction: fc.Arbitrary<Action> = fc.oneof(
  ...HONEST_USER_ACTIONS,
  // The operator's attacks come more often than the rest, so runs reach deep hostile sequences.
  { arbitrary: fc.constant({ kind: "invalid-batch" as const }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("self-prove" as const), newest: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("spam" as const), count: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("self-slash" as const), batches: fc.integer({ min: 2, max: 4 }) }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: "copy-proof" as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: "challenge" as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.constantFrom(600, 3_700, 7_300, 90_000) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("claim" as const), user }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("freeze" as const), user }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("escape" as const), user }), weight: 1 },
  { arbitrary: fc.constant({ kind: "unbond" as const }), weight: 1 },
);

type Fixture = Awaited<ReturnType<typeof fundedFixture>>;

/** Runs one action; a refusal by L1 (or by the honest client) is an outcome, not a failure. */
async function act(f: Fixture, action: Action, salt: number): Promise<void> {
  const { rollup, opSigner, challenger, l1, l2, domain } = f;
  const to = await rollup.getAddress();
  const bondIfNeeded = async () => {
    if (!(await rollup.bonded()) && !(await rollup.frozen()))
      await (await rollup.connect(opSigner).bond({ value: await rollup.BOND() })).wait();
  };
  switch (action.kind) {
    case "deposit":
      await (
        await rollup
          .connect(l1[action.user])
          .deposit(l2[action.user].address, { value: BigInt(action.milli) * 10n ** 15n })
      ).wait();
      return;
    case "withdraw":
    case "honest-batch": {
      const view = await readL1(rollup);
      if (rebuild(view).invalid) return; // an honest operator does not build on an invalid batch
      const operator = await freshOperator(f);
      if (action.kind === "withdraw") {
        if (!(await acceptWithdrawal(operator, domain, l1[action.user], l2[action.user], action.permille))) return;
      }
      await operator.postPending();
      return;
    }
    case "invalid-batch":
      await bondIfNeeded();
      await (await opSigner.sendTransaction({ to, data: await wrongRootBatch(rollup, salt) })).wait();
      return;
    case "self-slash": {
      // Several invalid batches in a row, then the operator proves them itself, newest first.
      for (let i = 0; i < action.batches; i++) {
        await bondIfNeeded();
        await (await opSigner.sendTransaction({ to, data: await wrongRootBatch(rollup, salt * 10 + i) })).wait();
      }
      for (let i = 0; i < action.batches; i++) {
        const view = await readL1(rollup);
        const tip = view.batches[view.tipId];
        if (view.tipId === 0 || !rebuild(view).invalid) return;
        await submitFraudProof(rollup, opSigner, buildFraudProof(view, view.tipId, tip.chunks.length - 1));
        await expectSolvent(rollup);
      }
      return;
    }
    case "self-prove":
    case "copy-proof": {
      const view = await readL1(rollup);
      const invalid = rebuild(view).invalid;
      if (!invalid) return;
      if (action.kind === "self-prove" && action.newest) {
        // The newest batch first (its parent's committed state against its own), as a self-slashing operator would.
        const tip = view.batches[view.tipId];
        await submitFraudProof(rollup, opSigner, buildFraudProof(view, view.tipId, tip.chunks.length - 1));
        return;
      }
      const proof = buildFraudProof(view, invalid.batchId, invalid.chunkIndex);
      if (action.kind === "self-prove") {
        await submitFraudProof(rollup, opSigner, proof);
        return;
      }
      // A proof sent without a commitment (a copy of someone's) must not go through.
      await expect(rollup.connect(opSigner).proveFraud(proof)).to.be.revertedWithCustomError(
        rollup,
        "FraudProofNotCommitted",
      );
      return;
    }
    case "spam": {
      await bondIfNeeded();
      for (let i = 0; i < action.count; i++) {
        const tip = await batchRecord(rollup, await rollup.tipId());
        const state = {
          stateRoot: tip.stateRoot,
          exitRoot: emptyExitRoot(Number(await rollup.CHUNK_SIZE())),
          depositCursor: tip.depositEnd,
          forcedCursor: tip.forcedEnd,
        };
        const data = submitBatchData(rollup, ["0x"], [state], opSigner.address, 0);
        await (await opSigner.sendTransaction({ to, data })).wait();
      }
      return;
    }
    case "challenge":
      await new Watcher(rollup, challenger).challengeFirstInvalid();
      return;
    case "wait":
      // Honest watchers are online: every invalid batch is proven before time moves past its window.
      while (await new Watcher(rollup, challenger).challengeFirstInvalid());
      await time.increase(action.seconds);
      return;
    case "claim": {
      const view = await readL1(rollup);
      const me = l1[action.user].address.toLowerCase();
      for (const exit of rebuild(view).exits.filter((e) => e.recipient === me)) {
        await (await rollup.connect(l1[action.user]).claimExit(buildExitClaim(view, exit))).wait();
      }
      return;
    }
    case "freeze":
      await (await rollup.connect(l1[action.user]).freeze(...(await freezeArgs(rollup)))).wait();
      return;
    case "escape": {
      const view = await readL1(rollup);
      if (!view.frozen) return;
      const { state } = rebuild(view);
      const index = state.findAccount(l2[action.user].address);
      if (index !== undefined && !(await rollup.escaped(index))) {
        const siblings = state.tree.proof(index).map((s) => "0x" + s.toString("hex"));
        const sig = signEscape(domain, l2[action.user].signingKey, index, l1[action.user].address);
        await (
          await rollup.connect(l1[action.user]).escape(state.account(index), siblings, l1[action.user].address, sig)
        ).wait();
      }
      for (const d of view.deposits.slice(Number(await rollup.depositsConsumed()))) {
        if (d.sender !== l1[action.user].address || (await rollup.isDepositRefunded(d.index))) continue;
        await (await rollup.connect(l1[action.user]).refundDeposit(d.index, d.sender, d.recipient, d.amount)).wait();
      }
      return;
    }
    case "unbond":
      await (await rollup.connect(opSigner).unbond(await tipRecord(rollup))).wait();
      return;
  }
}

async function solvencyHolds(numRuns: number): Promise<void> {
  let salt = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(arbAction, { minLength: 1, maxLength: 14 }), async (actions) => {
      const f = await loadFixture(fundedFixture);
      for (const action of actions) {
        try {
          await act(f, action, salt++);
        } catch (error) {
          // L1 refused, or an honest client had nothing to do: what matters is what the chain holds after.
          if (error instanceof chai.AssertionError) throw error;
        }
        await expectSolvent(f.rollup);
      }
    }),
    { numRuns },
  );
}

describe("# solvency with a hostile operator (property)", function () {
  this.timeout(600_000);
  it(`should keep the bridge solvent after every action (${runs(10, 10)} runs)`, async function () {
    await solvencyHolds(runs(10, 10));
  });
});

describeDeep("# solvency with a hostile operator (property, long)", function () {
  this.timeout(7_200_000);
  it("should keep the bridge solvent after every action (200 runs)", async function () {
    await solvencyHolds(200);
  });
});
