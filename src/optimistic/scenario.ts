/**
 * The optimistic rollup's scenario driver (FORMAT.md v1): maps each step to
 * the operator, a watcher, a user's wallet or an L1 call. Expectations about
 * L2 balances read the state a watcher rebuilds from L1 data alone.
 */
import { AbiCoder, ContractTransactionReceipt, keccak256 } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import { ethToWei, weiToEth } from "../scenario/eth";
import {
  ExpectationError,
  Person,
  ScenarioContext,
  Step,
  StepRefusedError,
  StepResult,
  SystemDriver,
  SystemModule,
} from "../scenario/types";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { AmountEncodingError } from "../encoding/amount";
import { signEscape, signForcedWithdrawal, signTransfer, signWithdraw } from "./client";
import { readL1, L1View } from "./l1-view";
import { FaultSpec, Operator, OperatorRefusal } from "./operator";
import { DEFAULT_PARAMS, OptimisticParams } from "./params";
import { BatchExit, Watcher, buildExitClaim, rebuild } from "./watcher";
import { L2State } from "./state";

const hexBuf = (hex: string): Buffer => Buffer.from(hex.slice(2), "hex");

function exitKey(exit: BatchExit): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint256", "uint256", "uint256"],
      [exit.batchId, exit.chunkIndex, exit.position],
    ),
  );
}

class OptimisticDriver implements SystemDriver {
  private rollup!: OptimisticRollup;
  private operator!: Operator;
  private domain!: Buffer;
  private readonly params: OptimisticParams;

  constructor(private readonly ctx: ScenarioContext) {
    const p = ctx.scenario.params;
    this.params = {
      ...DEFAULT_PARAMS,
      ...(p.challengePeriod !== undefined && { challengePeriod: p.challengePeriod }),
      ...(p.bond !== undefined && { bond: ethToWei(p.bond) }),
      ...(p.batchSize !== undefined && { batchSize: p.batchSize }),
      ...(p.forceInclusionDelay !== undefined && { forceInclusionDelay: p.forceInclusionDelay }),
    };
  }

  async deploy(): Promise<Record<string, string>> {
    const operator = this.ctx.person("operator");
    const { rollup, address } = await deployOptimistic(this.ctx.hre, operator.l1, this.params);
    this.rollup = rollup;
    this.domain = hexBuf(await rollup.DOMAIN_SEPARATOR());
    this.operator = new Operator(rollup, operator.l1, operator.l2.address, this.params, this.domain, (l) =>
      this.ctx.log(l),
    );
    return { OptimisticRollup: address };
  }

  async run(step: Step): Promise<StepResult> {
    try {
      return await this.dispatch(step);
    } catch (error) {
      if (error instanceof OperatorRefusal || error instanceof AmountEncodingError) {
        throw new StepRefusedError(error.message);
      }
      throw error;
    }
  }

  private person(field: unknown): Person {
    return this.ctx.person(String(field));
  }

  private accountOf(state: L2State, who: Person): number {
    const index = state.findAccount(who.l2.address);
    if (index === undefined)
      throw new StepRefusedError(`${who.name} has no L2 account yet (no batch credited a deposit)`);
    return index;
  }

  private async dispatch(step: Step): Promise<StepResult> {
    switch (step.do) {
      case "deposit": {
        const from = this.person(step.from);
        const amount = ethToWei(String(step.amount));
        const receipt = await (await this.rollup.connect(from.l1).deposit(from.l2.address, { value: amount })).wait();
        return { outcome: `${from.name} deposited ${weiToEth(amount)} ETH (queued on L1)`, receipts: [receipt!] };
      }
      case "transfer": {
        const from = this.person(step.from);
        const to = this.person(step.to);
        const toIndex = this.operator.accountFor(to.l2.address);
        const state = this.operator.projected();
        const tx = signTransfer(this.domain, from.l2.signingKey, {
          from: this.accountOf(state, from),
          to: toIndex,
          amount: ethToWei(String(step.amount)),
          fee: step.fee === undefined ? 0n : ethToWei(String(step.fee)),
          nonce: state.account(this.accountOf(state, from)).nonce,
        });
        this.operator.accept(tx);
        return {
          outcome: `${from.name} signed a transfer of ${step.amount} ETH to ${to.name}; the operator holds it`,
          receipts: [],
        };
      }
      case "withdraw": {
        const from = this.person(step.from);
        const state = this.operator.projected();
        const index = this.accountOf(state, from);
        const tx = signWithdraw(this.domain, from.l2.signingKey, {
          from: index,
          recipient: from.l1Address,
          amount: ethToWei(String(step.amount)),
          fee: 0n,
          nonce: state.account(index).nonce,
        });
        this.operator.accept(tx);
        return {
          outcome: `${from.name} signed a withdrawal of ${step.amount} ETH; the operator holds it`,
          receipts: [],
        };
      }
      case "batch":
        return this.batch(step.fault as Record<string, unknown> | undefined);
      case "challenge":
        return this.challenge(step);
      case "wait": {
        await this.ctx.advanceTime(Number(step.seconds));
        return { outcome: `${step.seconds} s passed on L1`, receipts: [] };
      }
      case "claim":
        return this.claim(this.person(step.by));
      case "force-withdraw": {
        const from = this.person(step.from);
        const amount = ethToWei(String(step.amount));
        const { state } = rebuild(await readL1(this.rollup));
        const index = this.accountOf(state, from);
        const requestIndex = await this.rollup.forcedRequestCount();
        const sig = signForcedWithdrawal(this.domain, from.l2.signingKey, index, from.l1Address, amount, requestIndex);
        const receipt = await (await this.rollup.connect(from.l1).requestForcedWithdrawal(index, amount, sig)).wait();
        return {
          outcome: `${from.name} asked L1 to force an exit of ${step.amount} ETH (request ${requestIndex})`,
          receipts: [receipt!],
        };
      }
      case "freeze": {
        const by = this.person(step.by);
        const receipt = await (await this.rollup.connect(by.l1).freeze()).wait();
        return { outcome: `${by.name} froze the rollup: a forced withdrawal is overdue`, receipts: [receipt!] };
      }
      case "escape":
        return this.escape(this.person(step.by));
      case "expect":
        return this.expect(step);
      default:
        throw new Error(`optimistic: unknown step "${step.do}"`);
    }
  }

  private async faultSpec(fault: Record<string, unknown>): Promise<FaultSpec> {
    const state = this.operator.projected();
    const kind = String(fault.kind);
    const transfer = (signer: Person) => {
      const from = this.person(fault.from);
      const index = this.accountOf(state, from);
      return signTransfer(this.domain, signer.l2.signingKey, {
        from: index,
        to: this.accountOf(state, this.person(fault.to)),
        amount: ethToWei(String(fault.amount)),
        fee: 0n,
        nonce: state.account(index).nonce,
      });
    };
    switch (kind) {
      case "bad-state-root":
      case "skip-deposit":
      case "malformed":
        return { kind };
      case "mint":
        return { kind, to: this.accountOf(state, this.person(fault.to)), amount: ethToWei(String(fault.amount)) };
      case "overdraft":
        return { kind, tx: transfer(this.person(fault.from)) };
      case "forged-signature":
        return { kind, tx: transfer(this.ctx.person("operator")) };
      case "replay":
        return { kind, from: this.accountOf(state, this.person(fault.from)) };
      case "fake-exit":
        return { kind, recipient: this.person(fault.to).l1Address, amount: ethToWei(String(fault.amount)) };
      default:
        throw new Error(`optimistic: unknown fault kind "${kind}"`);
    }
  }

  private async batch(fault?: Record<string, unknown>): Promise<StepResult> {
    const spec = fault ? await this.faultSpec(fault) : undefined;
    const wasBonded = await this.rollup.bonded();
    const { batchIds, receipts } = await this.operator.postPending(spec);
    const bonded = wasBonded ? "" : " (after bonding again)";
    const cheat = spec ? `, cheating: ${spec.kind}` : "";
    return { outcome: `operator posted batch ${batchIds.join(", ")}${bonded}${cheat}`, receipts };
  }

  private async challenge(step: Step): Promise<StepResult> {
    const by = this.person(step.by);
    const watcher = new Watcher(this.rollup, by.l1, (l) => this.ctx.log(l));
    if (step.batch !== undefined) {
      const receipt = await watcher.challengeTx(Number(step.batch), Number(step.tx ?? 0));
      return { outcome: `${by.name} proved batch ${step.batch} invalid`, receipts: [receipt] };
    }
    const result = await watcher.challengeFirstInvalid();
    if (!result) return { outcome: "nothing to challenge", receipts: [] };
    const { invalid, receipt } = result;
    return {
      outcome: `${by.name} proved batch ${invalid.batchId} invalid (chunk ${invalid.chunkIndex}, tx ${invalid.txIndex}: ${invalid.fault}); it and later batches are rolled back`,
      receipts: [receipt],
    };
  }

  private async claim(by: Person): Promise<StepResult> {
    const view = await readL1(this.rollup);
    const { exits } = rebuild(view);
    const mine = exits.filter((e) => e.recipient === by.l1Address.toLowerCase());
    const unclaimed: BatchExit[] = [];
    for (const exit of mine) if (!(await this.rollup.exitClaimed(exitKey(exit)))) unclaimed.push(exit);
    if (unclaimed.length === 0) throw new StepRefusedError(`${by.name} has no unclaimed exit`);
    const receipts: ContractTransactionReceipt[] = [];
    let total = 0n;
    for (const exit of unclaimed) {
      const receipt = await (await this.rollup.connect(by.l1).claimExit(buildExitClaim(view, exit))).wait();
      receipts.push(receipt!);
      total += exit.amount;
    }
    return { outcome: `${by.name} claimed ${unclaimed.length} exit(s), ${weiToEth(total)} ETH`, receipts };
  }

  private async escape(by: Person): Promise<StepResult> {
    const view = await readL1(this.rollup);
    const { state } = rebuild(view);
    const receipts: ContractTransactionReceipt[] = [];
    let paid = 0n;
    const index = state.findAccount(by.l2.address);
    if (index !== undefined && !(await this.rollup.escaped(index))) {
      const account = state.account(index);
      const siblings = state.tree.proof(index).map((s) => "0x" + s.toString("hex"));
      const sig = signEscape(this.domain, by.l2.signingKey, index, by.l1Address);
      const receipt = await (await this.rollup.connect(by.l1).escape(account, siblings, by.l1Address, sig)).wait();
      receipts.push(receipt!);
      paid += account.balance;
    }
    const consumed = Number(await this.rollup.depositsConsumed());
    for (const d of view.deposits.slice(consumed)) {
      if (d.sender.toLowerCase() !== by.l1Address.toLowerCase() || (await this.rollup.isDepositRefunded(d.index)))
        continue;
      const receipt = await (
        await this.rollup.connect(by.l1).refundDeposit(d.index, d.sender, d.recipient, d.amount)
      ).wait();
      receipts.push(receipt!);
      paid += d.amount;
    }
    if (receipts.length === 0) throw new StepRefusedError(`${by.name} has nothing to escape with`);
    return { outcome: `${by.name} escaped with ${weiToEth(paid)} ETH`, receipts };
  }

  private batchStatus(view: L1View, id: number): string {
    const batch = view.batches[id];
    if (!batch || id === 0) return "missing";
    if (batch.status === "rolled-back") return "rolled-back";
    return view.now >= batch.finalAt ? "final" : "pending";
  }

  private async withdrawnBy(person: Person): Promise<bigint> {
    const me = person.l1Address;
    let total = 0n;
    for (const e of await this.rollup.queryFilter(this.rollup.filters.ExitClaimed(undefined, undefined, me)))
      total += e.args.amount;
    for (const e of await this.rollup.queryFilter(this.rollup.filters.Escaped(undefined, undefined, me)))
      total += e.args.amount;
    const view = await readL1(this.rollup);
    for (const e of await this.rollup.queryFilter(this.rollup.filters.DepositRefunded())) {
      const d = view.deposits[Number(e.args.index)];
      if (d.sender.toLowerCase() === me.toLowerCase()) total += d.amount;
    }
    return total;
  }

  private async expect(step: Step): Promise<StepResult> {
    const view = await readL1(this.rollup);
    const checks: string[] = [];
    const fail = (what: string) => {
      throw new ExpectationError(what);
    };
    if (step.l2) {
      const { state, invalid } = rebuild(view);
      if (invalid)
        fail(
          `l2: batch ${invalid.batchId} is invalid (chunk ${invalid.chunkIndex}, tx ${invalid.txIndex}: ${invalid.fault}) and still pending`,
        );
      for (const [name, eth] of Object.entries(step.l2 as Record<string, string>)) {
        const index = state.findAccount(this.ctx.person(name).l2.address);
        const balance = index === undefined ? 0n : state.account(index).balance;
        if (balance !== ethToWei(eth)) fail(`l2.${name}: expected ${eth} ETH, L2 state has ${weiToEth(balance)}`);
      }
      checks.push("l2");
    }
    if (step.batch) {
      const { index, status } = step.batch as { index: number; status: string };
      const actual = this.batchStatus(view, index);
      if (actual !== status) fail(`batch ${index}: expected ${status}, it is ${actual}`);
      checks.push(`batch ${index} ${status}`);
    }
    if (step.bond) {
      const status = (await this.rollup.bonded()) ? "bonded" : "slashed";
      const want = (step.bond as { status: string }).status;
      if (status !== want) fail(`bond: expected ${want}, the operator is ${status}`);
      checks.push(`bond ${want}`);
    }
    if (step.frozen !== undefined) {
      if (view.frozen !== step.frozen) fail(`frozen: expected ${step.frozen}, it is ${view.frozen}`);
      checks.push(`frozen ${view.frozen}`);
    }
    if (step.paid) {
      for (const [name, eth] of Object.entries(step.paid as Record<string, string>)) {
        const me = this.ctx.person(name).l1Address;
        let total = 0n;
        for (const e of await this.rollup.queryFilter(this.rollup.filters.OperatorSlashed(undefined, me)))
          total += e.args.reward;
        if (total !== ethToWei(eth)) fail(`paid.${name}: expected ${eth} ETH, L1 paid ${weiToEth(total)}`);
      }
      checks.push("paid");
    }
    if (step.withdrawn) {
      for (const [name, eth] of Object.entries(step.withdrawn as Record<string, string>)) {
        const total = await this.withdrawnBy(this.ctx.person(name));
        if (total !== ethToWei(eth)) fail(`withdrawn.${name}: expected ${eth} ETH, the bridge paid ${weiToEth(total)}`);
      }
      checks.push("withdrawn");
    }
    if (step.channel || step.onchain) fail("channel and onchain expectations do not apply to the optimistic system");
    return { outcome: `as expected: ${checks.join(", ")}`, receipts: [] };
  }
}

export const scenarioModule: SystemModule = {
  system: "optimistic",
  async create(ctx: ScenarioContext) {
    return new OptimisticDriver(ctx);
  },
};
