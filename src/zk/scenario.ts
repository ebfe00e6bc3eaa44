/**
 * The zk rollup's scenario driver: every rollup step of FORMAT.md v1.1 on a real chain, with real Groth16 proofs,
 * the zk `attack` kinds (each sends its own transactions straight to the ABI, src/zk/attacks.ts) and the
 * `solvent` expectation, which is also checked after every step (src/zk/solvency.ts).
 * Each person's Baby Jubjub key comes from their l2Seed; `operator` owns fee account 0 and posts the batches.
 * A faulty batch cannot be proven, so the operator posts it with the best proof it has (its last one, or a
 * proof of the honest batch) and L1 refuses it.
 */
import type { TransactionReceipt } from "ethers";
import { isError } from "ethers";
import { ethToWei, weiToEth } from "../scenario/eth";
import {
  ExpectationError,
  StepRefusedError,
  type ScenarioContext,
  type Step,
  type StepResult,
  type SystemDriver,
  type SystemModule,
} from "../scenario/types";
import { deployZkRollup, type DeployedZkRollup } from "../../scripts/deploy-zk";
import { TEST_CIRCUIT, circuitForBatchSize, loadCircuit } from "./circuit";
import { InvalidOperationError } from "./errors";
import { exitProof } from "./exits";
import { buildFault, type FaultSpec } from "./faults";
import { ZkKey } from "./keys";
import { ZkOperator } from "./operator";
import { replayFromL1 } from "./replay";
import { ZkState, signTransfer, signWithdraw } from "./state";
import { solvencyOf } from "./solvency";
import { ZkAttacker } from "./attacks";

export class ZkDriver implements SystemDriver {
  private deployed!: DeployedZkRollup;
  private operator!: ZkOperator;
  private readonly keys = new Map<string, ZkKey>();
  /** Exits already claimed, as "batch:slot". */
  private readonly claimed = new Set<string>();
  private attacker!: ZkAttacker;

  constructor(private readonly ctx: ScenarioContext) {}

  private async key(name: string): Promise<ZkKey> {
    let key = this.keys.get(name);
    if (!key) {
      key = await ZkKey.fromSeed(this.ctx.person(name).l2Seed);
      this.keys.set(name, key);
    }
    return key;
  }

  async deploy(): Promise<Record<string, string>> {
    const { batchSize, forceInclusionDelay, depositDeadline } = this.ctx.scenario.params;
    const config = batchSize === undefined ? TEST_CIRCUIT : circuitForBatchSize(batchSize);
    const circuit = await loadCircuit(config, (m) => process.stderr.write(`  zk setup: ${m}\n`));
    const operatorKey = await this.key("operator");
    this.deployed = await deployZkRollup(this.ctx.hre, {
      circuit: config,
      operator: this.ctx.person("operator").l1,
      operatorKey: operatorKey.publicKey,
      forceInclusionDelay,
      depositDeadline,
    });
    const state = await ZkState.genesis(config.treeDepth, operatorKey.publicKey, await this.deployed.rollup.domain());
    this.operator = new ZkOperator(this.deployed.rollup, circuit, state, (l) => this.ctx.log(l));
    this.attacker = new ZkAttacker(this.ctx, this.deployed, this.operator, circuit, {
      key: (name) => this.key(name),
      accountOf: (name) => this.accountOf(name),
    });
    const { ZkRollup, verifier, Poseidon2, Poseidon4 } = this.deployed.addresses;
    return { ZkRollup, [config.verifierContract]: verifier, Poseidon2, Poseidon4 };
  }

  async run(step: Step, index: number): Promise<StepResult> {
    const receipts: TransactionReceipt[] = [];
    try {
      let outcome = await this.dispatch(step, receipts);
      // An armed attack strikes after the step it waits for.
      const struck = await this.attacker.afterStep(step, receipts);
      if (struck) outcome = `${outcome}; ${struck}`;
      // INVARIANT (solvent, FORMAT.md): checked after every step, from the chain alone.
      const s = await solvencyOf(this.deployed.rollup);
      if (!s.solvent) {
        throw new ExpectationError(
          `step ${index} (${step.do}): the rollup is insolvent: it holds ${weiToEth(s.held)} ETH and owes ` +
            `${weiToEth(s.owed)} (L2 balances ${weiToEth(s.balances)}, unclaimed exits ${weiToEth(s.unclaimedExits)}, ` +
            `pending deposits ${weiToEth(s.pendingDeposits)})`,
        );
      }
      return { outcome, receipts };
    } catch (error) {
      if (error instanceof InvalidOperationError) {
        throw new StepRefusedError(`step ${index} (${step.do}): the operator refuses: ${error.message}`);
      }
      throw error;
    }
  }

  private dispatch(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    switch (step.do) {
      case "deposit":
        return this.deposit(step.from as string, ethToWei(step.amount as string), receipts);
      case "transfer":
        return this.transfer(step, receipts);
      case "withdraw":
        return this.withdraw(step);
      case "batch":
        return this.batch(step.fault as FaultSpec | undefined, receipts);
      case "wait":
        return this.ctx.advanceTime(step.seconds as number).then(() => `${step.seconds as number} s later`);
      case "claim":
        return this.claim(step.by as string, receipts);
      case "force-withdraw":
        return this.forceWithdraw(step.from as string, ethToWei(step.amount as string), receipts);
      case "freeze":
        return this.freeze(step.by as string, receipts);
      case "escape":
        return this.escape(step.by as string, receipts);
      case "expect":
        return this.expect(step);
      case "attack":
        return this.attacker.attack(step, receipts);
      case "challenge":
        throw new StepRefusedError(
          "challenge: a zk batch is final once its proof verifies; there is nothing to challenge",
        );
      default:
        throw new StepRefusedError(`the zk system has no "${step.do}" step`);
    }
  }

  /** The account L1 assigned to `name` (their key and L1 address), if any. */
  private async accountOf(name: string): Promise<number | undefined> {
    const key = await this.key(name);
    const [exists, index] = await this.deployed.rollup.accountOf(
      key.publicKey.ax,
      key.publicKey.ay,
      this.ctx.person(name).l1Address,
    );
    return exists ? Number(index) : undefined;
  }

  private async requireAccount(name: string, what: string): Promise<number> {
    const account = await this.accountOf(name);
    if (account === undefined) throw new InvalidOperationError(`${what}: ${name} has no L2 account (no deposit yet)`);
    return account;
  }

  private async deposit(name: string, amount: bigint, receipts: TransactionReceipt[]): Promise<string> {
    const key = await this.key(name);
    const rollup = this.deployed.rollup.connect(this.ctx.person(name).l1);
    const receipt = await (await rollup.deposit(key.publicKey.ax, key.publicKey.ay, { value: amount })).wait();
    if (receipt) receipts.push(receipt);
    await this.operator.sync();
    const account = await this.requireAccount(name, "deposit");
    return `${name} deposited ${weiToEth(amount)} ETH for L2 account ${account}; queued until a batch consumes it`;
  }

  private async transfer(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    void receipts;
    const [from, to] = [step.from as string, step.to as string];
    const amount = ethToWei(step.amount as string);
    const fee = ethToWei((step.fee as string | undefined) ?? "0");
    const fromIndex = await this.requireAccount(from, "transfer");
    const toIndex = await this.requireAccount(to, "transfer");
    const pending = this.operator.pendingState;
    const nonce = pending.account(fromIndex)?.nonce ?? 0n;
    const op = signTransfer(pending, await this.key(from), { from: fromIndex, to: toIndex, amount, fee, nonce });
    this.operator.submit(op);
    return `${from} signed a transfer of ${weiToEth(amount)} ETH to ${to} (fee ${weiToEth(fee)}); pending`;
  }

  private async withdraw(step: Step): Promise<string> {
    const name = step.from as string;
    const amount = ethToWei(step.amount as string);
    const fee = ethToWei((step.fee as string | undefined) ?? "0");
    const from = await this.requireAccount(name, "withdraw");
    const pending = this.operator.pendingState;
    const nonce = pending.account(from)?.nonce ?? 0n;
    this.operator.submit(signWithdraw(pending, await this.key(name), { from, amount, fee, nonce }));
    return `${name} signed a withdrawal of ${weiToEth(amount)} ETH; pending`;
  }

  private async batch(fault: FaultSpec | undefined, receipts: TransactionReceipt[]): Promise<string> {
    await this.operator.sync();
    if (await this.deployed.rollup.frozen()) {
      throw new StepRefusedError("batch: the rollup is frozen; it takes no more batches");
    }
    if (fault) {
      const forgery = await buildFault(this.operator, fault, {
        accountOf: (name) => this.requireAccount(name, `fault ${fault.kind}`),
        key: (name) => this.key(name),
        progress: (m) => process.stderr.write(`  zk: ${m}\n`),
      });
      this.ctx.log(`the operator posts a ${fault.kind} batch with the best proof it has`);
      receipts.push(await this.operator.postForgery(forgery));
      return `L1 accepted a ${fault.kind} batch`;
    }
    if (!this.operator.hasPending) throw new StepRefusedError("batch: nothing is pending");
    const lines: string[] = [];
    while (this.operator.hasPending) {
      const prepared = await this.operator.prepareNext((m) => process.stderr.write(`  zk prover: ${m}\n`));
      const posted = await this.operator.post(prepared);
      receipts.push(posted.receipt);
      const used = posted.built.ops.filter((o) => o.type !== 0).length;
      lines.push(
        `batch ${posted.batchNumber} proven and final: ${used} op(s), witness ${posted.proof.witnessMs} ms, ` +
          `proof ${posted.proof.provingMs} ms, ${posted.receipt.gasUsed} gas`,
      );
      // A censoring operator leaves the held operations pending: one batch of what it does include.
      if (prepared.taken.length === 0 || this.operator.censored.size > 0) break;
    }
    return lines.join("; ");
  }

  private async claim(name: string, receipts: TransactionReceipt[]): Promise<string> {
    const person = this.ctx.person(name);
    const rollup = this.deployed.rollup.connect(person.l1);
    let total = 0n;
    let count = 0;
    for (const batch of this.operator.batches) {
      for (const exit of batch.exits) {
        const id = `${batch.batchNumber}:${exit.slot}`;
        if (exit.owner !== person.l1Address || this.claimed.has(id)) continue;
        const proof = exitProof(this.operator.batchSize, batch.exits, exit.slot);
        const tx = await rollup.claimWithdrawal(batch.batchNumber, exit.slot, exit.owner, exit.amount, proof);
        const receipt = await tx.wait();
        if (receipt) receipts.push(receipt);
        this.claimed.add(id);
        total += exit.amount;
        count++;
      }
    }
    if (count === 0) throw new StepRefusedError(`claim: ${name} has no proven, unclaimed exit`);
    return `${name} claimed ${count} exit(s): ${weiToEth(total)} ETH`;
  }

  private async forceWithdraw(name: string, amount: bigint, receipts: TransactionReceipt[]): Promise<string> {
    const account = await this.requireAccount(name, "force-withdraw");
    const raced = await this.attacker.frontRunForced(name, account, amount, receipts);
    if (raced !== undefined) return raced;
    const rollup = this.deployed.rollup.connect(this.ctx.person(name).l1);
    const receipt = await (await rollup.requestForcedExit(account, amount)).wait();
    if (receipt) receipts.push(receipt);
    await this.operator.sync();
    const delay = this.deployed.forceInclusionDelay;
    return `${name} asked L1 to exit ${weiToEth(amount)} ETH from account ${account}; due within ${delay} s`;
  }

  private async freeze(name: string, receipts: TransactionReceipt[]): Promise<string> {
    const rollup = this.deployed.rollup.connect(this.ctx.person(name).l1);
    const receipt = await (await rollup.freeze()).wait();
    if (receipt) receipts.push(receipt);
    // What L1 said: which deadline it found passed.
    for (const log of receipt?.logs ?? []) {
      const parsed = rollup.interface.parseLog(log);
      if (parsed?.name === "FrozenOnDeposit") {
        return `${name} froze the rollup: deposit ${parsed.args.depositIndex} waited past the deposit deadline; every account may now escape and unconsumed deposits be refunded`;
      }
      if (parsed?.name === "Frozen") {
        return `${name} froze the rollup: forced exit ${parsed.args.requestId} is overdue; every account may now escape`;
      }
    }
    throw new StepRefusedError("freeze: L1 emitted no freeze event");
  }

  private async escape(name: string, receipts: TransactionReceipt[]): Promise<string> {
    const person = this.ctx.person(name);
    const rollup = this.deployed.rollup.connect(person.l1);
    const parts: string[] = [];
    const account = await this.accountOf(name);
    // The escape proof comes from L1 data alone, as any user would build it after a freeze.
    const state = await replayFromL1(this.deployed.rollup);
    const leaf = account === undefined ? undefined : state.account(account);
    if (account !== undefined && leaf) {
      const tx = await rollup.escape(account, leaf.ax, leaf.ay, leaf.balance, leaf.nonce, state.siblings(account));
      const receipt = await tx.wait();
      if (receipt) receipts.push(receipt);
      parts.push(
        `escaped with ${weiToEth(leaf.balance)} ETH (account ${account}, last proven state rebuilt from L1 data)`,
      );
    }
    // Deposits no batch consumed come back too.
    const consumed = Number(await rollup.depositsConsumed());
    for (const event of await rollup.queryFilter(rollup.filters.DepositQueued())) {
      const index = Number(event.args.index);
      if (index < consumed || event.args.sender !== person.l1Address) continue;
      if (await rollup.isDepositRefunded(index)) continue;
      const { sender, recipient, amount } = event.args;
      const receipt = await (await rollup.refundDeposit(index, sender, BigInt(recipient), amount)).wait();
      if (receipt) receipts.push(receipt);
      parts.push(`deposit ${index} refunded: ${weiToEth(amount)} ETH`);
    }
    if (parts.length === 0) throw new StepRefusedError(`escape: ${name} has nothing in the rollup`);
    return `${name} ${parts.join("; ")}`;
  }

  private async paidTo(address: string): Promise<bigint> {
    const rollup = this.deployed.rollup;
    let total = 0n;
    for (const e of await rollup.queryFilter(rollup.filters.WithdrawalClaimed(undefined, undefined, address))) {
      total += e.args.amount;
    }
    for (const e of await rollup.queryFilter(rollup.filters.Escaped(undefined, address))) total += e.args.amount;
    for (const e of await rollup.queryFilter(rollup.filters.DepositRefundPaid(undefined, address)))
      total += e.args.amount;
    return total;
  }

  private async expect(step: Step): Promise<string> {
    const checked: string[] = [];
    const fail = (what: string): never => {
      throw new ExpectationError(`expect: ${what}`);
    };
    const l2 = step.l2 as Record<string, string> | undefined;
    if (l2) {
      // As an honest node sees it: rebuilt from L1 data, every root checked against L1.
      const state = await replayFromL1(this.deployed.rollup);
      for (const [name, amount] of Object.entries(l2)) {
        const account = await this.accountOf(name);
        const balance = account === undefined ? 0n : (state.account(account)?.balance ?? 0n);
        if (balance !== ethToWei(amount)) fail(`${name} has ${weiToEth(balance)} ETH on L2, expected ${amount}`);
      }
      checked.push("l2 balances");
    }
    const withdrawn = step.withdrawn as Record<string, string> | undefined;
    if (withdrawn) {
      for (const [name, amount] of Object.entries(withdrawn)) {
        const paid = await this.paidTo(this.ctx.person(name).l1Address);
        if (paid !== ethToWei(amount)) fail(`${name} was paid ${weiToEth(paid)} ETH by the bridge, expected ${amount}`);
      }
      checked.push("withdrawn");
    }
    const batch = step.batch as { index: number; status: string } | undefined;
    if (batch) {
      const count = Number(await this.deployed.rollup.batchCount());
      if (batch.index > count) fail(`batch ${batch.index} does not exist (${count} batch(es) posted)`);
      if (batch.status !== "final")
        fail(`batch ${batch.index} is final (a zk batch is final once proven), not ${batch.status}`);
      checked.push(`batch ${batch.index} final`);
    }
    if (step.frozen !== undefined) {
      const frozen = await this.deployed.rollup.frozen();
      if (frozen !== step.frozen) fail(`the rollup is ${frozen ? "" : "not "}frozen`);
      checked.push(`frozen = ${String(frozen)}`);
    }
    const paid = step.paid as Record<string, string> | undefined;
    if (paid) {
      for (const [name, amount] of Object.entries(paid)) {
        if (ethToWei(amount) !== 0n) fail(`${name}: a zk rollup pays no challenger rewards, expected ${amount}`);
      }
      checked.push("no challenger rewards");
    }
    if (step.solvent !== undefined) {
      const s = await solvencyOf(this.deployed.rollup);
      if (s.solvent !== step.solvent) {
        fail(`the rollup holds ${weiToEth(s.held)} ETH and owes ${weiToEth(s.owed)}: solvent is ${String(s.solvent)}`);
      }
      checked.push(`solvent (holds ${weiToEth(s.held)} ETH, owes ${weiToEth(s.owed)})`);
    }
    if (step.bond !== undefined) fail("bond: the zk rollup has no operator bond");
    for (const key of ["channel", "onchain"]) {
      if (step[key] !== undefined) fail(`${key}: not a zk rollup check`);
    }
    return `holds: ${checked.join(", ")}`;
  }
}

export const scenarioModule: SystemModule = {
  system: "zk",
  create: async (ctx: ScenarioContext) => new ZkDriver(ctx),
};

/** True when `error` is an L1 revert (what a refused post looks like). */
export function isL1Revert(error: unknown): boolean {
  return isError(error, "CALL_EXCEPTION");
}
