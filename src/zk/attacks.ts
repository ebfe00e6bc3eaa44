/**
 * The zk `attack` steps of scenario format v1.1 (FORMAT.md "Attacks"). Each attacker builds and sends its own
 * transactions, from its own L1 account, straight to the contracts' ABI (raw calldata where the encoding is the
 * attack); it may reuse the project's encoders and prover but never the honest operator's decisions. An attack
 * holds whether L1 accepts or refuses what it sends: the outcome says which, read from the chain.
 */
import { AbiCoder, concat, isError, toBeHex, zeroPadValue, type TransactionReceipt } from "ethers";
import { readFileSync } from "fs";
import type { DeployedZkRollup } from "../../scripts/deploy-zk";
import { raceInOneBlock, type ChainProvider } from "../channels/mempool";
import { StepRefusedError, type ScenarioContext, type Step } from "../scenario/types";
import { weiToEth } from "../scenario/eth";
import { keyWithEightTimesYOne } from "./bad-key";
import type { LoadedCircuit } from "./circuit";
import { batchCommitment } from "./commitment";
import { buildFault, type FaultSpec } from "./faults";
import type { ZkKey } from "./keys";
import type { Forgery, PreparedBatch, ZkOperator } from "./operator";
import { OpType, decodeOps } from "./ops";
import type { SolidityProof } from "./prover";

const abi = AbiCoder.defaultAbiCoder();
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** What the off-curve attacker deposits. */
const OFF_CURVE_DEPOSIT = 10n ** 16n;

interface Helpers {
  key(name: string): Promise<ZkKey>;
  accountOf(name: string): Promise<number | undefined>;
}

interface VerificationKeyJson {
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  IC: string[][];
}

export class ZkAttacker {
  /** Armed off-curve attack: once a batch consumed deposit `depositIndex`, `by` asks for a forced exit. */
  private armedOffCurve?: { by: string; depositIndex: bigint; account: bigint };
  /** Armed front-run-forced: at `victim`'s next force-withdraw, `by` gets a request of its own mined first. */
  private armedForced?: { by: string; victim: string };
  /** People the operator censors (resolved to accounts as they appear). */
  private readonly censoring = new Set<string>();

  constructor(
    private readonly ctx: ScenarioContext,
    private readonly deployed: DeployedZkRollup,
    private readonly operator: ZkOperator,
    private readonly circuit: LoadedCircuit,
    private readonly helpers: Helpers,
  ) {}

  async attack(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    const by = (step.by as string | undefined) ?? "operator";
    switch (step.kind) {
      case "forged-proof":
        return this.forgedProof(by, step.fault as FaultSpec, receipts);
      case "off-curve-key":
        return this.offCurveKey(by, receipts);
      case "censor":
        this.censoring.add(step.from as string);
        await this.resolveCensored();
        return `${by} censors ${String(step.from)} from now on: none of their deposits, transfers or withdrawals (and no deposit or forced exit queued behind one of theirs) goes into a batch`;
      case "via-contract":
        return this.viaContract(by, step.fault as FaultSpec | undefined, receipts);
      case "odd-calldata":
        return this.oddCalldata(by, step.fault as FaultSpec | undefined, receipts);
      case "spam-batches":
        return this.spamBatches(by, step.count as number, receipts);
      case "front-run-forced":
        this.armedForced = { by, victim: step.victim as string };
        return `${by} watches the mempool for ${String(step.victim)}'s next forced-exit request, ready to get one of its own mined first with a higher tip`;
      default:
        throw new StepRefusedError(`attack: the zk system has no "${String(step.kind)}" attack`);
    }
  }

  /** Strikes armed attacks after the step they wait for; returns what happened, if anything. */
  async afterStep(step: Step, receipts: TransactionReceipt[]): Promise<string | undefined> {
    await this.resolveCensored();
    const armed = this.armedOffCurve;
    if (!armed || step.do !== "batch") return undefined;
    const rollup = this.deployed.rollup;
    if ((await rollup.depositsConsumed()) <= armed.depositIndex) return undefined;
    this.armedOffCurve = undefined;
    const amount = 10n ** 15n;
    return this.send(
      `attacker ${armed.by} asks for a forced exit of its off-curve account ${armed.account}`,
      receipts,
      () => rollup.connect(this.ctx.person(armed.by).l1).requestForcedExit(armed.account, amount),
    );
  }

  /**
   * The armed front-run-forced, run in place of `victim`'s force-withdraw step (undefined when nothing is armed
   * for `victim`): the victim's request goes to the mempool, the attacker's follows with a far higher tip
   * (the fee account 0 when the attacker is the operator, else its own account), and one block mines both.
   * What L1 recorded is read back from the victim's ForcedExitRequested event.
   */
  async frontRunForced(
    victim: string,
    account: number,
    amount: bigint,
    receipts: TransactionReceipt[],
  ): Promise<string | undefined> {
    const armed = this.armedForced;
    if (!armed || armed.victim !== victim) return undefined;
    this.armedForced = undefined;
    const rollup = this.deployed.rollup;
    const attackerAccount = armed.by === "operator" ? 0 : await this.helpers.accountOf(armed.by);
    if (attackerAccount === undefined) throw new StepRefusedError(`front-run-forced: ${armed.by} has no L2 account`);
    const provider = this.ctx.hre.ethers.provider as unknown as ChainProvider;
    const minimum = await rollup.MIN_AMOUNT();
    const raced = await raceInOneBlock(
      provider,
      (fees) => rollup.connect(this.ctx.person(victim).l1).requestForcedExit(account, amount, fees),
      (fees) => rollup.connect(this.ctx.person(armed.by).l1).requestForcedExit(attackerAccount, minimum, fees),
    );
    const parts: string[] = [];
    if ("notSent" in raced.attacker) {
      parts.push(`attacker ${armed.by}'s request could not be sent (${raced.attacker.notSent})`);
    } else {
      receipts.push(raced.attacker);
      const theirs = this.requested(raced.attacker);
      const order = raced.attacker.index < raced.victim.index ? "first" : "after";
      parts.push(
        theirs
          ? `attacker ${armed.by}'s request for account ${attackerAccount} was mined ${order} as request ${theirs.requestId}`
          : `attacker ${armed.by}'s request reverted`,
      );
    }
    receipts.push(raced.victim);
    const mine = this.requested(raced.victim);
    if (raced.victim.status !== 1 || !mine)
      throw new StepRefusedError(`${victim}'s forced-exit request reverted on L1`);
    const owner = mine.owner === this.ctx.person(victim).l1Address ? victim : mine.owner;
    parts.push(
      `${victim}'s request was recorded as request ${mine.requestId}: account ${mine.account}, owner ${owner}, ` +
        `${weiToEth(mine.amount)} ETH`,
    );
    await this.operator.sync();
    return parts.join("; ");
  }

  private requested(
    receipt: TransactionReceipt,
  ): { requestId: bigint; account: bigint; owner: string; amount: bigint } | undefined {
    for (const log of receipt.logs) {
      const parsed = this.deployed.rollup.interface.parseLog(log);
      if (parsed?.name === "ForcedExitRequested") {
        const { requestId, account, owner, amount } = parsed.args;
        return { requestId, account, owner, amount };
      }
    }
    return undefined;
  }

  private async resolveCensored(): Promise<void> {
    for (const name of this.censoring) {
      const account = await this.helpers.accountOf(name);
      if (account !== undefined) this.operator.censored.add(account);
    }
  }

  /** Sends a transaction; says from the chain what happened (mined, or refused with L1's error). */
  private async send(
    what: string,
    receipts: TransactionReceipt[],
    tx: () => Promise<{ wait(): Promise<TransactionReceipt | null> }>,
  ): Promise<string> {
    try {
      const receipt = await (await tx()).wait();
      if (receipt) receipts.push(receipt);
      return `${what}: L1 accepted it (block ${receipt?.blockNumber}, ${receipt?.gasUsed} gas)`;
    } catch (error) {
      return `${what}: L1 refused it: ${this.describeRevert(error)}`;
    }
  }

  private describeRevert(error: unknown): string {
    const data = (error as { data?: string }).data;
    const rollup = this.deployed.rollup;
    if (typeof data === "string") {
      const parsed = rollup.interface.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map(String).join(", ")})`;
    }
    if (isError(error, "CALL_EXCEPTION") && error.revert)
      return `${error.revert.name}(${error.revert.args.join(", ")})`;
    const message = (error as Error).message ?? String(error);
    const custom = /reverted with custom error '([^']+)'/.exec(message);
    return custom ? custom[1] : message.split("\n")[0];
  }

  // --- forged proof: A = α, B = β, C = −vk_x from the verifier's public constants ---------------------------

  private async forgedProof(by: string, fault: FaultSpec, receipts: TransactionReceipt[]): Promise<string> {
    // The proof is forged below from the verifier's constants: no proving run for the placeholder.
    const placeholder: SolidityProof = {
      a: [0n, 0n],
      b: [
        [0n, 0n],
        [0n, 0n],
      ],
      c: [0n, 0n],
    };
    const forgery = await buildFault(this.operator, fault, {
      proof: () => Promise.resolve(placeholder),
      accountOf: async (name) => {
        const account = await this.helpers.accountOf(name);
        if (account === undefined) throw new StepRefusedError(`forged-proof: ${name} has no account`);
        return account;
      },
      key: (name) => this.helpers.key(name),
    });
    const rollup = this.deployed.rollup;
    const deposits = decodeOps(forgery.opsBytes).filter((o) => o.type === OpType.Deposit).length;
    const consumed = await rollup.depositsConsumed();
    const available = await rollup.depositCount();
    const chainAt = (n: bigint) => (n <= available ? rollup.poseidonChain(n) : Promise.resolve(0n));
    const commitment = batchCommitment(
      {
        oldRoot: await rollup.stateRoot(),
        newRoot: forgery.newRoot,
        chainBefore: await chainAt(consumed),
        chainAfter: await chainAt(consumed + BigInt(deposits)),
      },
      forgery.opsBytes,
    );
    const proof = await this.trivialForgery([commitment, await rollup.domain()]);
    this.ctx.log(`the attacker posts a ${fault.kind} batch proven by A = α, B = β, C = −vk_x`);
    const data = rollup.interface.encodeFunctionData("submitBatch", [
      forgery.newRoot,
      forgery.opsBytes,
      proof.a,
      proof.b,
      proof.c,
    ]);
    const signer = this.ctx.person(by).l1;
    return this.send(
      `${by} posts a ${fault.kind} batch with a proof forged from the verifier's constants`,
      receipts,
      () => signer.sendTransaction({ to: this.deployed.addresses.ZkRollup, data }),
    );
  }

  private async trivialForgery(inputs: bigint[]): Promise<SolidityProof> {
    const vkey = JSON.parse(readFileSync(this.circuit.artifacts.vkey, "utf8")) as VerificationKeyJson;
    const provider = this.deployed.rollup.runner!.provider!;
    const precompile = async (address: number, types: string[], values: bigint[]) =>
      abi
        .decode(
          ["uint256", "uint256"],
          await provider.call({ to: toBeHex(address, 20), data: abi.encode(types, values) }),
        )
        .map((v) => BigInt(v));
    let vkX = vkey.IC[0].slice(0, 2).map(BigInt);
    for (let i = 0; i < inputs.length; i++) {
      const term = await precompile(
        7,
        ["uint256", "uint256", "uint256"],
        [...vkey.IC[i + 1].slice(0, 2).map(BigInt), inputs[i]],
      );
      vkX = await precompile(6, ["uint256", "uint256", "uint256", "uint256"], [...vkX, ...term]);
    }
    const beta = vkey.vk_beta_2.map((c) => c.map(BigInt));
    return {
      a: [BigInt(vkey.vk_alpha_1[0]), BigInt(vkey.vk_alpha_1[1])],
      b: [
        [beta[0][1], beta[0][0]],
        [beta[1][1], beta[1][0]],
      ],
      c: [vkX[0], (Q - vkX[1]) % Q],
    };
  }

  // --- off-curve key -------------------------------------------------------------------------------------------

  private async offCurveKey(by: string, receipts: TransactionReceipt[]): Promise<string> {
    const key = keyWithEightTimesYOne();
    const rollup = this.deployed.rollup;
    const signer = this.ctx.person(by).l1;
    const depositIndex = await rollup.depositCount();
    const outcome = await this.send(
      `${by} deposits ${weiToEth(OFF_CURVE_DEPOSIT)} ETH to a key off Baby Jubjub whose 8·A has y = 1`,
      receipts,
      () => rollup.connect(signer).deposit(key.ax, key.ay, { value: OFF_CURVE_DEPOSIT }),
    );
    const [exists, account] = await rollup.accountOf(key.ax, key.ay, signer.address);
    if (exists) {
      await this.operator.sync();
      this.armedOffCurve = { by, depositIndex, account };
      return `${outcome}; armed: once a batch consumes it, ${by} asks for a forced exit`;
    }
    return outcome;
  }

  // --- batches by another route: a forwarder contract, hand-made calldata, spam -------------------------------

  /** The batch to post: a fault (with the operator's best proof) or the honest next batch, proven. */
  private async batchToPost(fault: FaultSpec | undefined): Promise<{ forgery: Forgery; prepared?: PreparedBatch }> {
    await this.operator.sync();
    if (fault) {
      const forgery = await buildFault(this.operator, fault, {
        accountOf: async (name) => {
          const account = await this.helpers.accountOf(name);
          if (account === undefined) throw new StepRefusedError(`attack: ${name} has no account`);
          return account;
        },
        key: (name) => this.helpers.key(name),
      });
      return { forgery };
    }
    const prepared = this.operator.hasPending ? await this.operator.prepareNext() : await this.operator.prepareEmpty();
    return {
      forgery: {
        opsBytes: prepared.built.opsBytes,
        newRoot: prepared.built.header.newRoot,
        proof: prepared.proof.proof,
      },
      prepared,
    };
  }

  private async viaContract(by: string, fault: FaultSpec | undefined, receipts: TransactionReceipt[]): Promise<string> {
    const { forgery, prepared } = await this.batchToPost(fault);
    const signer = this.ctx.person(by).l1;
    const hre = this.ctx.hre;
    const forwarder = await hre.ethers.deployContract("ZkBatchForwarder", signer);
    await forwarder.waitForDeployment();
    const rollup = this.deployed.rollup;
    const data = rollup.interface.encodeFunctionData("submitBatch", [
      forgery.newRoot,
      forgery.opsBytes,
      forgery.proof.a,
      forgery.proof.b,
      forgery.proof.c,
    ]);
    const what = `${by} posts ${fault ? `a ${fault.kind}` : "a valid"} batch from inside a call of its forwarder contract ${await forwarder.getAddress()}`;
    const before = await rollup.batchCount();
    let outcome: string;
    try {
      const receipt = await (await forwarder.forward(await rollup.getAddress(), data)).wait();
      if (receipt) receipts.push(receipt);
      outcome = `${what}: L1 accepted it (${receipt?.gasUsed} gas)`;
    } catch (error) {
      const inner = (error as { data?: string }).data;
      const reason = inner ? forwarder.interface.parseError(inner) : null;
      const innerData = reason?.name === "ForwardFailed" ? String(reason.args[0]) : undefined;
      outcome = `${what}: L1 refused it: ${innerData ? this.describeRevert({ data: innerData }) : this.describeRevert(error)}`;
    }
    if (prepared && (await rollup.batchCount()) > before) this.operator.adopt(prepared, receipts[receipts.length - 1]);
    return outcome;
  }

  private async oddCalldata(by: string, fault: FaultSpec | undefined, receipts: TransactionReceipt[]): Promise<string> {
    const { forgery, prepared } = await this.batchToPost(fault);
    const rollup = this.deployed.rollup;
    const word = (v: bigint | number) => zeroPadValue(toBeHex(v), 32);
    const p = forgery.proof;
    // Standard: [newRoot|offset 320|a|b|c|length|ops padded]. Here the offset skips two junk words and the
    // ops are not padded to a whole word.
    const calldata = concat([
      rollup.interface.getFunction("submitBatch").selector,
      word(forgery.newRoot),
      word(12 * 32),
      ...[p.a[0], p.a[1], p.b[0][0], p.b[0][1], p.b[1][0], p.b[1][1], p.c[0], p.c[1]].map(word),
      word(0xdead),
      word(0xbeef),
      word(forgery.opsBytes.length),
      forgery.opsBytes,
    ]);
    const before = await rollup.batchCount();
    const signer = this.ctx.person(by).l1;
    const outcome = await this.send(
      `${by} posts ${fault ? `a ${fault.kind}` : "a valid"} batch in non-standard calldata (ops after two junk words, unpadded)`,
      receipts,
      () => signer.sendTransaction({ to: this.deployed.addresses.ZkRollup, data: calldata }),
    );
    if (prepared && (await rollup.batchCount()) > before) this.operator.adopt(prepared, receipts[receipts.length - 1]);
    return outcome;
  }

  private async spamBatches(by: string, count: number, receipts: TransactionReceipt[]): Promise<string> {
    const lines: string[] = [];
    const rollup = this.deployed.rollup;
    for (let i = 0; i < count; i++) {
      const prepared = await this.operator.prepareEmpty();
      const { proof, built } = prepared;
      const signer = this.ctx.person(by).l1;
      const outcome = await this.send(`${by} posts empty batch ${i + 1} of ${count}`, receipts, () =>
        rollup
          .connect(signer)
          .submitBatch(built.header.newRoot, built.opsBytes, proof.proof.a, proof.proof.b, proof.proof.c),
      );
      if (outcome.includes("accepted")) this.operator.adopt(prepared, receipts[receipts.length - 1]);
      lines.push(outcome);
      if (!outcome.includes("accepted")) break;
    }
    return lines.join("; ");
  }
}
