/**
 * The optimistic rollup's scenario driver (FORMAT.md v1): maps each step to
 * the operator, a watcher, a user's wallet or an L1 call. Expectations about
 * L2 balances read the state a watcher rebuilds from L1 data alone.
 */
import { AbiCoder, ContractTransactionReceipt, TransactionReceipt, keccak256 } from "ethers";
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
import { BatchExit, Watcher, buildCommittedExitClaim, buildFraudProof, rebuild, submitFraudProof } from "./watcher";
import { Exit, L2State } from "./state";
import { canonicalChain } from "./l1-view";
import { buildHostileBatch, oddCalldata, paddingTx, rawBatch, sendRaw, standardCalldata } from "./attacker";

const hexBuf = (hex: string): Buffer => Buffer.from(hex.slice(2), "hex");

/** What L1 said when it refused a transaction: the custom error's name and values, or the first line. */
function refusal(rollup: OptimisticRollup, error: unknown): string {
  const e = error as { data?: string; message?: string; info?: { error?: { data?: string } } };
  const data = e.data ?? e.info?.error?.data;
  if (typeof data === "string" && data.length >= 10) {
    try {
      const parsed = rollup.interface.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
    } catch {
      // not one of the rollup's errors
    }
  }
  const message = String(e.message ?? error);
  const custom = /reverted with custom error '([^']+)'/.exec(message);
  return custom ? custom[1] : message.split("\n")[0];
}

function exitKey(exit: { batchId: number; chunkIndex: number; position: number }): string {
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
  /** Exits committed by batches an attack posted, by batch id and chunk (the operator keeps its own). */
  private readonly hostileExits = new Map<number, Exit[][]>();
  /** An attack put batches on L1 that the honest operator did not post: it re-reads L1 before its next batch. */
  private operatorBehind = false;

  constructor(private readonly ctx: ScenarioContext) {
    const p = ctx.scenario.params;
    this.params = {
      ...DEFAULT_PARAMS,
      ...(p.challengePeriod !== undefined && { challengePeriod: p.challengePeriod }),
      ...(p.bond !== undefined && { bond: ethToWei(p.bond) }),
      ...(p.batchSize !== undefined && { batchSize: p.batchSize }),
      ...(p.forceInclusionDelay !== undefined && { forceInclusionDelay: p.forceInclusionDelay }),
      ...(p.depositDeadline !== undefined && { depositDeadline: p.depositDeadline }),
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
        const nonce = await this.rollup.forcedNonce(from.l1Address);
        const sig = signForcedWithdrawal(this.domain, from.l2.signingKey, index, from.l1Address, amount, nonce);
        const receipt = await (await this.rollup.connect(from.l1).requestForcedWithdrawal(index, amount, sig)).wait();
        const requestIndex = this.rollup.interface.parseLog(
          receipt!.logs.find((l) => this.rollup.interface.parseLog(l)?.name === "ForcedWithdrawalRequested")!,
        )!.args.requestIndex;
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
      case "attack":
        return this.attack(step);
      default:
        throw new Error(`optimistic: unknown step "${step.do}"`);
    }
  }

  /**
   * The account a faulty batch credits: the existing one, or one the operator opens in the same batch (a cheating
   * operator always can, for itself as for anyone).
   */
  private creditedAccount(state: L2State, who: Person): number {
    return state.findAccount(who.l2.address) ?? this.operator.accountFor(who.l2.address);
  }

  private async faultSpec(fault: Record<string, unknown>): Promise<FaultSpec> {
    const state = this.operator.projected();
    const kind = String(fault.kind);
    const transfer = (signer: Person) => {
      const from = this.person(fault.from);
      const index = this.accountOf(state, from);
      return signTransfer(this.domain, signer.l2.signingKey, {
        from: index,
        to: this.creditedAccount(state, this.person(fault.to)),
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
        return { kind, to: this.creditedAccount(state, this.person(fault.to)), amount: ethToWei(String(fault.amount)) };
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
    if (this.operatorBehind) {
      await this.operator.adoptL1();
      this.operatorBehind = false;
    }
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

  /** The exits batch `id` committed, per chunk: as its poster built them, else as an honest replay finds them. */
  private committedExits(id: number, replay: BatchExit[]): Exit[][] | undefined {
    const known = this.operator.committedExits.get(id) ?? this.hostileExits.get(id);
    if (known) return known;
    const mine = replay.filter((e) => e.batchId === id);
    if (mine.length === 0) return undefined;
    const chunks: Exit[][] = [];
    for (const e of mine) (chunks[e.chunkIndex] ??= []).push(e);
    return chunks;
  }

  /**
   * Claims every exit to `by` that a standing batch committed on L1, as L1 pays it: a fake exit that nobody
   * challenged is paid once final, like any other. Exits not final yet are sent too, and L1 refuses them.
   */
  private async claim(by: Person): Promise<StepResult> {
    const view = await readL1(this.rollup);
    const replay = rebuild(view).exits;
    const me = by.l1Address.toLowerCase();
    const receipts: ContractTransactionReceipt[] = [];
    let total = 0n;
    for (const id of canonicalChain(view)) {
      const chunks = this.committedExits(id, replay) ?? [];
      for (let k = 0; k < chunks.length; k++) {
        for (const exit of chunks[k] ?? []) {
          if (exit.recipient.toLowerCase() !== me) continue;
          if (await this.rollup.exitClaimed(exitKey({ batchId: id, chunkIndex: k, position: exit.position }))) continue;
          const claim = buildCommittedExitClaim(view, id, k, chunks[k], exit);
          const receipt = await (await this.rollup.connect(by.l1).claimExit(claim)).wait();
          receipts.push(receipt!);
          for (const log of receipt!.logs) {
            const parsed = this.rollup.interface.parseLog(log);
            if (parsed?.name === "ExitClaimed") total += parsed.args.amount as bigint;
          }
        }
      }
    }
    if (receipts.length === 0) throw new StepRefusedError(`${by.name} has no unclaimed exit`);
    return { outcome: `${by.name} claimed ${receipts.length} exit(s): L1 paid ${weiToEth(total)} ETH`, receipts };
  }

  // ------------------------------------------------------------------ attacks (format v1.1)

  private async attack(step: Step): Promise<StepResult> {
    const by = this.person(step.by ?? "operator");
    const kind = String(step.kind);
    switch (kind) {
      case "self-slash":
        return this.selfSlash(by, Number(step.batches));
      case "odd-calldata":
        return this.hostileBatch(by, step.fault as Record<string, unknown> | undefined, "odd");
      default:
        throw new Error(`optimistic: attack "${kind}" cannot be carried out by this runner yet`);
    }
  }

  /** The attacker bonds again when slashed, as `batch` does (only the operator can). */
  private async attackerBond(by: Person): Promise<TransactionReceipt[]> {
    if (await this.rollup.bonded()) return [];
    const receipt = await (await this.rollup.connect(by.l1).bond({ value: await this.rollup.BOND() })).wait();
    this.ctx.log(`${by.name} bonds again (attacker)`);
    return [receipt!];
  }

  /** A FaultSpec for a batch the attacker builds on the state it rebuilds from L1. */
  private hostileFault(fault: Record<string, unknown>, state: L2State, by: Person): FaultSpec {
    const kind = String(fault.kind);
    const account = (who: Person) => {
      const index = state.findAccount(who.l2.address);
      if (index === undefined) throw new Error(`attack: ${who.name} has no L2 account on L1's state`);
      return index;
    };
    switch (kind) {
      case "bad-state-root":
      case "skip-deposit":
      case "malformed":
        return { kind };
      case "fake-exit":
        return { kind, recipient: this.person(fault.to).l1Address, amount: ethToWei(String(fault.amount)) };
      case "mint":
        return { kind, to: account(this.person(fault.to)), amount: ethToWei(String(fault.amount)) };
      case "overdraft":
      case "forged-signature": {
        const from = this.person(fault.from);
        const index = account(from);
        const signer = kind === "overdraft" ? from : by;
        const tx = signTransfer(this.domain, signer.l2.signingKey, {
          from: index,
          to: account(this.person(fault.to)),
          amount: ethToWei(String(fault.amount)),
          fee: 0n,
          nonce: state.account(index).nonce,
        });
        return { kind, tx };
      }
      default:
        throw new Error(`attack: fault "${kind}" cannot be built by an attacker in this runner`);
    }
  }

  /**
   * Posts one batch built by the attacker from L1 data (the fault, if any, and a padding tx so the last chunk's
   * bytes need padding), straight to submitBatch from its own account, in the `odd` or standard encoding.
   */
  private async hostileBatch(
    by: Person,
    fault: Record<string, unknown> | undefined,
    encoding: "odd" | "standard",
  ): Promise<StepResult> {
    const receipts = await this.attackerBond(by);
    const view = await readL1(this.rollup);
    const state = rebuild(view).state;
    const spec = fault ? this.hostileFault(fault, state, by) : undefined;
    const built = buildHostileBatch(this.rollup, by.l1, view, this.params, by.l2.address, spec, [paddingTx(view)]);
    const batch = rawBatch(built, by.l2.address);
    const data =
      encoding === "odd" ? oddCalldata(this.rollup.interface, batch) : standardCalldata(this.rollup.interface, batch);
    const what = `${encoding === "odd" ? "a non-standard encoding" : "the standard encoding"} of submitBatch (${(data.length - 2) / 2} bytes${spec ? `, cheating: ${spec.kind}` : ""})`;
    const sent = await sendRaw(by.l1, await this.rollup.getAddress(), data);
    if (!sent.receipt) {
      return { outcome: `${by.name} sent ${what}; L1 refused it: ${refusal(this.rollup, sent.error)}`, receipts };
    }
    receipts.push(sent.receipt);
    const id = Number(await this.rollup.tipId());
    this.hostileExits.set(id, built.exits);
    this.operatorBehind = true;
    return { outcome: `${by.name} sent ${what}; L1 accepted it as batch ${id}`, receipts };
  }

  /** Posts `count` batches with a wrong state root, then proves each itself, newest first. */
  private async selfSlash(by: Person, count: number): Promise<StepResult> {
    const receipts: TransactionReceipt[] = [];
    const ids: number[] = [];
    const address = await this.rollup.getAddress();
    for (let i = 0; i < count; i++) {
      receipts.push(...(await this.attackerBond(by)));
      const view = await readL1(this.rollup);
      const built = buildHostileBatch(this.rollup, by.l1, view, this.params, by.l2.address);
      // A root no execution gives, different for every batch (a child with its parent's root would be valid).
      const last = built.states[built.states.length - 1];
      last.stateRoot = Buffer.from(
        keccak256(Buffer.concat([Buffer.from(`self-slash ${view.batches.length}`), last.stateRoot])).slice(2),
        "hex",
      );
      const sent = await sendRaw(
        by.l1,
        address,
        standardCalldata(this.rollup.interface, rawBatch(built, by.l2.address)),
      );
      if (!sent.receipt) {
        return {
          outcome: `${by.name} posted ${ids.length} invalid batch(es); L1 refused the next: ${refusal(this.rollup, sent.error)}`,
          receipts,
        };
      }
      receipts.push(sent.receipt);
      ids.push(Number(await this.rollup.tipId()));
      this.hostileExits.set(ids[ids.length - 1], built.exits);
      this.operatorBehind = true;
    }
    let reward = 0n;
    let proven = 0;
    const refused: string[] = [];
    for (const id of [...ids].reverse()) {
      try {
        const receipt = await submitFraudProof(this.rollup, by.l1, buildFraudProof(await readL1(this.rollup), id, 0));
        receipts.push(receipt);
        proven++;
        for (const log of receipt.logs) {
          const parsed = this.rollup.interface.parseLog(log);
          if (parsed?.name === "OperatorSlashed" && parsed.args.beneficiary === by.l1Address)
            reward += parsed.args.reward as bigint;
        }
      } catch (error) {
        refused.push(`batch ${id}: ${refusal(this.rollup, error)}`);
      }
    }
    const refusedText = refused.length > 0 ? `; L1 refused ${refused.join(", ")}` : "";
    return {
      outcome: `${by.name} posted invalid batches ${ids.join(", ")} and proved ${proven} of them itself, newest first: L1 paid it ${weiToEth(reward)} ETH in rewards${refusedText}`,
      receipts,
    };
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

  /**
   * What the bridge owes, read from the chain: the honest L2 balances (every valid standing batch, none after the
   * first invalid one) not yet escaped, the unclaimed exits of valid batches, the deposits no valid batch consumed
   * and nobody refunded, and the bond while posted.
   */
  private async solvency(view: L1View): Promise<{ held: bigint; owed: bigint; parts: string }> {
    const { state, exits } = rebuild(view);
    let balances = 0n;
    for (const [index, account] of state.accounts) {
      if (view.frozen && (await this.rollup.escaped(index))) continue;
      balances += account.balance;
    }
    let unclaimed = 0n;
    for (const exit of exits) if (!(await this.rollup.exitClaimed(exitKey(exit)))) unclaimed += exit.amount;
    let deposits = 0n;
    for (const d of view.deposits.slice(state.depositCursor))
      if (!(await this.rollup.isDepositRefunded(d.index))) deposits += d.amount;
    const bond = (await this.rollup.bonded()) ? await this.rollup.BOND() : 0n;
    const held = await this.ctx.hre.ethers.provider.getBalance(await this.rollup.getAddress());
    const parts = `balances ${weiToEth(balances)}, exits ${weiToEth(unclaimed)}, deposits ${weiToEth(deposits)}, bond ${weiToEth(bond)}`;
    return { held, owed: balances + unclaimed + deposits + bond, parts };
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
    if (step.solvent !== undefined) {
      const { held, owed, parts } = await this.solvency(view);
      const solvent = held >= owed;
      if (solvent !== step.solvent)
        fail(
          `solvent: expected ${step.solvent}, the bridge holds ${weiToEth(held)} ETH and owes ${weiToEth(owed)} (${parts})`,
        );
      checks.push(`solvent ${solvent} (holds ${weiToEth(held)} ETH, owes ${weiToEth(owed)}: ${parts})`);
    }
    if (step.idle !== undefined) fail("idle applies to channels only");
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
