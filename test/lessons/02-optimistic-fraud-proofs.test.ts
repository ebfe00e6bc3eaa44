/**
 * Lesson 2 checks (docs/lessons/02-optimistic-fraud-proofs): the learner's scenario must tell the fraud
 * story and run green on the real OptimisticRollup; the learner's bond split must match the
 * OperatorSlashed event of that run.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { Interface, type Log } from "ethers";
import { parseScenario, ethToWei } from "../../src/scenario/validate";
import { runScenario } from "../../src/scenario/runner";
import { failureOf, type ScenarioResult } from "../../src/scenario/result";
import type { Scenario } from "../../src/scenario/types";
import * as exercise from "../../docs/lessons/02-optimistic-fraud-proofs/exercise";
import * as solution from "../../docs/lessons/02-optimistic-fraud-proofs/solution";
import { attempt, implementations } from "./check";

const SOURCE = "docs/lessons/02-optimistic-fraud-proofs";
const DEFAULT_BOND = "1";

/** The logs of every L1 tx of the run's steps whose `do` is `kind`, decoded with the rollup's ABI. */
async function eventsOf(result: ScenarioResult, kind: string, name: string) {
  const rollup = new Interface((await hre.artifacts.readArtifact("OptimisticRollup")).abi);
  const logs: Log[] = [];
  for (const step of result.steps.filter((s) => s.do === kind)) {
    for (const hash of step.txs) logs.push(...(await hre.ethers.provider.getTransactionReceipt(hash))!.logs);
  }
  return logs.map((log) => rollup.parseLog(log)).filter((parsed) => parsed?.name === name);
}

/**
 * Runs a scenario on a snapshot of the chain, asserts it passed, and hands the result to `inspect` before the
 * chain goes back to the snapshot (the run's receipts vanish with it).
 */
async function runOnSnapshot(scenario: Scenario, inspect: (result: ScenarioResult) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
  try {
    const result = await runScenario(hre, scenario, { source: SOURCE, print: (l) => lines.push(l), color: false });
    expect(result.ok, `${failureOf(result)}\n${lines.join("\n")}`).to.equal(true);
    await inspect(result);
  } finally {
    await hre.network.provider.send("evm_revert", [snapshot]);
  }
}

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 02-optimistic-fraud-proofs (${label})`, function () {
    describe("# fraudScenario", function () {
      it("should be a valid optimistic scenario that tells the whole story", async function () {
        const written = await attempt(this, () => impl.fraudScenario());
        const scenario = parseScenario(JSON.stringify(written), SOURCE);
        expect(scenario.system).to.equal("optimistic");
        expect(scenario.params.challengePeriod ?? Infinity, "params.challengePeriod").to.be.at.most(86_400);
        const kinds = scenario.steps.map((s) => s.do);
        const faulty = kinds.findIndex((k, i) => k === "batch" && scenario.steps[i].fault !== undefined);
        expect(faulty, "a batch with a fault").to.be.greaterThan(0);
        expect(kinds.slice(0, faulty), "an honest batch and a transfer before the faulty one")
          .to.include("batch")
          .and.to.include("transfer");
        const challenge = kinds.findIndex((k, i) => k === "challenge" && i > faulty);
        expect(challenge, "a challenge after the faulty batch").to.be.greaterThan(faulty);
        expect(scenario.steps[challenge].by, "the challenger").to.not.equal("operator");
        const checks = scenario.steps.slice(challenge).filter((s) => s.do === "expect");
        expect(checks.some((s) => (s.batch as { status?: string })?.status === "rolled-back")).to.equal(true);
        expect(checks.some((s) => (s.bond as { status?: string })?.status === "slashed")).to.equal(true);
        expect(checks.some((s) => s.paid !== undefined)).to.equal(true);
        const replay = kinds.findIndex((k, i) => k === "batch" && i > challenge);
        expect(replay, "a batch after the challenge").to.be.greaterThan(challenge);
        expect(scenario.steps.slice(replay).some((s) => s.do === "expect" && s.l2 !== undefined)).to.equal(true);
      });

      it("should run green on the Hardhat chain and prove the fraud on L1", async function () {
        this.timeout(120_000);
        const scenario = parseScenario(JSON.stringify(await attempt(this, () => impl.fraudScenario())), SOURCE);
        await runOnSnapshot(scenario, async (result) => {
          const proven = await eventsOf(result, "challenge", "FraudProven");
          expect(proven, "FraudProven events of the challenge").to.have.length(1);
          const rolledBack = await eventsOf(result, "challenge", "BatchRolledBack");
          expect(rolledBack.map((e) => e!.args.batchId)).to.include(proven[0]!.args.batchId);
        });
      });
    });

    describe("# slashingSplit", function () {
      it("should split the bond as the OperatorSlashed event of a real fraud proof does", async function () {
        this.timeout(120_000);
        await attempt(this, () => impl.slashingSplit(1n));
        const scenario = solution.fraudScenario();
        for (const bond of ["2", "0.000000000000000003"]) {
          scenario.params.bond = bond;
          const story = parseScenario(JSON.stringify({ ...scenario, steps: scenario.steps.slice(0, 6) }), SOURCE);
          await runOnSnapshot(story, async (result) => {
            const [slashed] = await eventsOf(result, "challenge", "OperatorSlashed");
            const split = impl.slashingSplit(ethToWei(bond));
            expect([split.reward, split.burnt]).to.deep.equal([slashed!.args.reward, slashed!.args.burnt]);
          });
        }
      });

      it("should never create or lose a wei", async function () {
        await attempt(this, () => impl.slashingSplit(ethToWei(DEFAULT_BOND)));
        fc.assert(
          fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (bond) => {
            const { reward, burnt } = impl.slashingSplit(bond);
            const why = `bond ${bond} wei: reward ${reward} + burnt ${burnt}`;
            expect(reward + burnt, `${why} is not the bond`).to.equal(bond);
            expect(reward >= 0n && burnt >= reward, `${why}: the challenger gets at most half`).to.equal(true);
          }),
        );
      });
    });
  });
}
