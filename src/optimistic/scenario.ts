/**
 * The optimistic rollup's scenario driver (FORMAT.md v1): maps each step to
 * the operator, a watcher, a user's wallet or an L1 call. Expectations about
 * L2 balances read the state a watcher rebuilds from L1 data alone.
 */
import { freezeRollup } from "./records";
import {
  AbiCoder,
  ContractTransactionReceipt,
  HDNodeWallet,
  Interface,
  ZeroAddress,
  TransactionReceipt,
  keccak256,
} from "ethers";
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
import { signBlsTransfer, signEscape, signForcedWithdrawal, signTransfer, signWithdraw } from "./client";
import { G2Point, decodeG2, secretKeyFromSeed } from "../encoding/bls";
import { keyRegistration, rollupTags } from "./bls";
import { BlsKeyRegistry__factory, type BlsKeyRegistry } from "../../typechain-types";
import { readL1, L1View } from "./l1-view";
import { BlobArchive } from "./blob-archive";
import { Kzg, loadKzg } from "../encoding/kzg";
import { hardhatWallet } from "../bench/blobs";
import { FaultSpec, Operator, OperatorRefusal } from "./operator";
import { DEFAULT_PARAMS, OptimisticParams, exitTreeDepth } from "./params";
import {
  BatchExit,
  Watcher,
  buildCommittedExitClaim,
  buildFraudProof,
  fraudCommitment,
  openBlobChunk,
  rebuild,
  submitFraudProof,
} from "./watcher";
import { rootOf } from "./batch-merkle";
import { Exit, L2State, depositOwner } from "./state";
import { canonicalChain } from "./l1-view";
import { buildHostileBatch, oddCalldata, paddingTx, rawBatch, sendRaw, standardCalldata } from "./attacker";
import { oddBlobCalldata, rawBlobBatch, sendBlobTx, standardBlobCalldata } from "./blob-attacker";
import { blobBatchOf } from "./blob-batch";

const hexBuf = (hex: string): Buffer => Buffer.from(hex.slice(2), "hex");
const FORWARDER_ERRORS = new Interface(["error ForwardFailed(address target, bytes reason)"]);
const hexOf = (b: Buffer): string => "0x" + b.toString("hex");
/** The attacks that post batches of their own: with params.posting "blob" they post blob batches. */
export const POSTING_ATTACKS: ReadonlySet<string> = new Set([
  "self-slash",
  "odd-calldata",
  "via-contract",
  "spam-batches",
]);

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
  /** Armed attacks: who strikes at the next challenge, at a victim's next forced withdrawal. */
  private readonly armed: { challenge?: Person; forced?: { by: Person; victim: string } } = {};
  /** With params.posting "blob": the blob archive in front of the node, and KZG. */
  private blobs?: { archive: BlobArchive; kzg: Kzg };
  /** People whose deposits and L2 txs the operator leaves out of its batches (the censor attack). */
  private readonly censored = new Set<string>();
  /** `signatures: "bls"`: BlsOptimisticRollup, its key registry, its DSTs and the keys registered so far. */
  private readonly signatures: "ecdsa" | "bls";
  private bls?: { registry: BlsKeyRegistry; txTag: Uint8Array; popTag: Uint8Array; keys: Map<string, G2Point> };

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
    this.signatures = p.signatures ?? "ecdsa";
  }

  async deploy(): Promise<Record<string, string>> {
    const operator = this.ctx.person("operator");
    const { rollup, address } = await deployOptimistic(this.ctx.hre, operator.l1, this.params, {
      signatures: this.signatures,
    });
    this.rollup = rollup;
    this.domain = hexBuf(await rollup.DOMAIN_SEPARATOR());
    if (this.signatures === "bls") {
      const registryAddress = await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS();
      const { chainId } = await operator.l1.provider!.getNetwork();
      const tags = rollupTags(chainId, address);
      const registry = BlsKeyRegistry__factory.connect(registryAddress, operator.l1);
      this.bls = { registry, txTag: tags.tx, popTag: tags.pop, keys: new Map() };
    }
    const keys = this.bls?.keys;
    if (this.ctx.scenario.params.posting === "blob") {
      // The devnet's public endpoint is the blob archive: the operator posts through it, watchers read from it.
      const kzg = await loadKzg();
      const hre = this.ctx.hre;
      const archive = new BlobArchive(kzg, (method, params) => hre.network.provider.request({ method, params }));
      this.blobs = { archive, kzg };
      this.ctx.log(`the operator posts batches in blobs through the blob archive (KZG: ${kzg.backend})`);
    }
    this.operator = new Operator(
      rollup,
      operator.l1,
      operator.l2.address,
      this.params,
      this.domain,
      (l) => this.ctx.log(l),
      this.bls && keys ? { txTag: this.bls.txTag, keyOf: (owner) => keys.get(owner) } : undefined,
      this.blobs && {
        // The operator is Hardhat account 0 (src/scenario/people.ts): a type-3 transaction is signed locally.
        wallet: hardhatWallet(this.ctx.hre, 0, this.ctx.hre.ethers.provider),
        archive: this.blobs.archive,
        kzg: this.blobs.kzg,
      },
    );
    return this.bls
      ? { BlsOptimisticRollup: address, BlsKeyRegistry: await this.bls.registry.getAddress() }
      : { OptimisticRollup: address };
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

  /** A person's BLS secret key, derived from their L2 key. */
  private blsSecret(who: Person): bigint {
    return secretKeyFromSeed(who.l2.privateKey);
  }

  /**
   * Registers `who`'s BLS key on L1 (with its proof of possession) unless it is registered; returns the receipt when
   * it had to. The key map is read back from the BlsKeyRegistered event, i.e. from the chain.
   */
  private async ensureBlsKey(who: Person): Promise<ContractTransactionReceipt | undefined> {
    const bls = this.bls!;
    const owner = who.l2.address.toLowerCase();
    if (bls.keys.has(owner)) return undefined;
    const r = keyRegistration(this.blsSecret(who), who.l2.signingKey, this.domain, bls.popTag);
    const receipt = (await (
      await bls.registry.connect(who.l1).registerBlsKey(r.key, r.possessionProof, r.ownerSignature)
    ).wait())!;
    for (const log of receipt.logs) {
      const event = bls.registry.interface.parseLog(log);
      if (event?.name === "BlsKeyRegistered")
        bls.keys.set(event.args.owner.toLowerCase(), decodeG2(hexBuf(event.args.key)));
    }
    this.ctx.log(`${who.name} registered a BLS key on L1 (proof of possession checked, ${receipt.gasUsed} gas)`);
    return receipt;
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
        if (this.bls) {
          const registered = await this.ensureBlsKey(from);
          const index = this.accountOf(state, from);
          const tx = signBlsTransfer(
            this.bls.txTag,
            this.blsSecret(from),
            {
              from: index,
              to: toIndex,
              amount: ethToWei(String(step.amount)),
              fee: step.fee === undefined ? 0n : ethToWei(String(step.fee)),
            },
            state.account(index).nonce,
          );
          this.operator.accept(tx);
          return {
            outcome: `${from.name} BLS-signed a transfer of ${step.amount} ETH to ${to.name}; the operator holds it`,
            receipts: registered ? [registered] : [],
          };
        }
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
        if (this.armed.forced?.victim === from.name) return this.frontRunForced(step, from, this.armed.forced.by);
        const amount = ethToWei(String(step.amount));
        const { state } = rebuild(await readL1(this.rollup, this.blobs?.archive));
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
        const receipt = await freezeRollup(this.rollup, by.l1);
        const frozen = receipt!.logs
          .map((l) => this.rollup.interface.parseLog(l))
          .find((e) => e?.name === "RollupFrozen");
        return {
          outcome: `${by.name} froze the rollup: users now escape from batch ${frozen?.args.lastFinalBatchId} (the last final one)`,
          receipts: [receipt!],
        };
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
      case "bad-aggregate": {
        // A transfer `from` never signed: the operator signs it with a BLS key of its own, so the chunk's aggregate
        // covers a message under the wrong key.
        if (!this.bls) throw new StepRefusedError(`bad-aggregate needs params.signatures "bls"`);
        const from = this.person(fault.from);
        const index = this.accountOf(state, from);
        const fields = {
          from: index,
          to: this.creditedAccount(state, this.person(fault.to)),
          amount: ethToWei(String(fault.amount)),
          fee: 0n,
        };
        const forged = signBlsTransfer(
          this.bls.txTag,
          this.blsSecret(this.ctx.person("operator")),
          fields,
          state.account(index).nonce,
        );
        return { kind, tx: forged };
      }
      default:
        throw new Error(`optimistic: unknown fault kind "${kind}"`);
    }
  }

  /**
   * The censor attack's choices before a batch: txs signed by censored people leave the pool for good, and the
   * deposit queue is consumed only up to the first deposit from or to one of them. Returns that index.
   */
  private async censorship(): Promise<number | undefined> {
    if (this.censored.size === 0) return undefined;
    const people = [...this.censored].map((name) => this.ctx.person(name));
    const keys = new Set(people.map((p) => p.l2.address.toLowerCase()));
    const senders = new Set(people.map((p) => p.l1Address.toLowerCase()));
    await this.operator.sync();
    const state = this.operator.state;
    const held = this.operator.pending.filter((tx) => tx.type !== "register" && keys.has(state.account(tx.from).owner));
    if (held.length > 0) {
      this.operator.pending = this.operator.pending.filter((tx) => !held.includes(tx));
      this.ctx.log(`the operator leaves out ${held.length} tx(s) of ${[...this.censored].join(", ")}`);
    }
    const view = await readL1(this.rollup, this.blobs?.archive);
    const first = view.deposits
      .slice(state.depositCursor)
      .find((d) => senders.has(d.sender.toLowerCase()) || keys.has(depositOwner(d.recipient)));
    if (first) this.ctx.log(`the operator consumes no deposit from index ${first.index} on`);
    return first?.index;
  }

  private async batch(fault?: Record<string, unknown>): Promise<StepResult> {
    if (this.operatorBehind) {
      await this.operator.adoptL1();
      this.operatorBehind = false;
    }
    const spec = fault ? await this.faultSpec(fault) : undefined;
    const wasBonded = await this.rollup.bonded();
    const censoring = await this.censorship();
    const { batchIds, receipts } = await this.operator.postPending(spec, { depositsBefore: censoring });
    const bonded = wasBonded ? "" : " (after bonding again)";
    const cheat = spec ? `, cheating: ${spec.kind}` : "";
    return { outcome: `operator posted batch ${batchIds.join(", ")}${bonded}${cheat}`, receipts };
  }

  private async challenge(step: Step): Promise<StepResult> {
    const by = this.person(step.by);
    if (this.armed.challenge) return this.frontRunChallenge(step, by, this.armed.challenge);
    const watcher = new Watcher(
      this.rollup,
      by.l1,
      (l) => this.ctx.log(l),
      this.blobs && { source: this.blobs.archive, kzg: this.blobs.kzg },
    );
    if (step.batch !== undefined) {
      const receipt = await watcher.challengeTx(Number(step.batch), Number(step.tx ?? 0));
      return { outcome: `${by.name} proved batch ${step.batch} invalid`, receipts: [watcher.lastCommit!, receipt] };
    }
    const result = await watcher.challengeFirstInvalid();
    if (!result) return { outcome: "nothing to challenge", receipts: [] };
    const { invalid, receipt } = result;
    return {
      outcome: `${by.name} committed to a proof, then proved batch ${invalid.batchId} invalid (chunk ${invalid.chunkIndex}, tx ${invalid.txIndex}: ${invalid.fault}); it and later batches are rolled back`,
      receipts: [watcher.lastCommit!, receipt],
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
    const view = await readL1(this.rollup, this.blobs?.archive);
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
    if (this.blobs && !POSTING_ATTACKS.has(kind)) {
      this.ctx.log(
        `posting "blob": the ${kind} attack posts no batch of its own, so it has no blob path; the operator's batches go in blobs through the archive as before`,
      );
    }
    switch (kind) {
      case "self-slash":
        return this.selfSlash(by, Number(step.batches));
      case "odd-calldata":
        return this.hostileBatch(by, step.fault as Record<string, unknown> | undefined, "odd");
      case "via-contract":
        return this.hostileBatch(by, step.fault as Record<string, unknown> | undefined, "via-contract");
      case "spam-batches":
        return this.spamBatches(by, Number(step.count));
      case "front-run-challenge":
        this.armed.challenge = by;
        return {
          outcome: `${by.name} watches for the next challenge, ready to copy it with a higher fee`,
          receipts: [],
        };
      case "front-run-forced": {
        const victim = this.person(step.victim);
        this.armed.forced = { by, victim: victim.name };
        return {
          outcome: `${by.name} watches for ${victim.name}'s next forced withdrawal, ready to get a request mined first`,
          receipts: [],
        };
      }
      case "censor": {
        const from = this.person(step.from);
        this.censored.add(from.name);
        return {
          outcome: `from now on the operator leaves ${from.name}'s deposits and L2 txs out of its batches (and every deposit queued behind one of them)`,
          receipts: [],
        };
      }
      default:
        throw new Error(`optimistic: attack "${kind}" cannot be carried out by this runner yet`);
    }
  }

  /**
   * Posts a built batch from inside a call: `by`'s account is delegated by EIP-7702 to a forwarder, and the
   * transaction `by` sends to itself calls forward(rollup, batch calldata). msg.sender is `by`, but the transaction's
   * input is the forwarder call. Calldata path: one type-4 transaction delegates and calls. Blob path: a type-3
   * transaction carries no authorization list, so a type-4 transaction delegates first (with a harmless forwarded
   * view call), then the type-3 transaction to itself carries the blobs and forward(rollup, submitBlobBatch(...)).
   */
  private async viaDelegation(
    by: Person,
    built: ReturnType<typeof buildHostileBatch>,
    receipts: TransactionReceipt[],
  ): Promise<{ receipt?: TransactionReceipt; refusal?: string; what: string }> {
    const { ethers } = this.ctx.hre;
    const wallet = this.walletOf(by);
    const forwarder = await (await ethers.getContractFactory("Forwarder", by.l1)).deploy();
    const deployed = await forwarder.deploymentTransaction()!.wait();
    receipts.push(deployed!);
    const rollupAddress = await this.rollup.getAddress();
    const nonce = await ethers.provider.getTransactionCount(by.l1Address);
    const { chainId } = await ethers.provider.getNetwork();
    const auth = await wallet.authorize({ address: await forwarder.getAddress(), nonce: nonce + 1, chainId });
    const forward = (data: string) => forwarder.interface.encodeFunctionData("forward", [rollupAddress, data]);
    const inside = "from inside forward() of a forwarder its account is delegated to (EIP-7702)";
    if (this.blobs) {
      const batch = rawBlobBatch(this.blobs.kzg, built, by.l2.address);
      const what = `a blob batch ${inside} (blob path: a type-3 transaction with ${batch.blobs.length} blob(s) to its own account, through the blob archive)`;
      const harmless = forward(this.rollup.interface.encodeFunctionData("tipId"));
      const delegation = await wallet.sendTransaction({
        type: 4,
        to: by.l1Address,
        data: harmless,
        authorizationList: [auth],
        gasLimit: 200_000n,
      });
      receipts.push((await delegation.wait())!);
      const data = forward(standardBlobCalldata(this.rollup.interface, batch));
      const sent = await sendBlobTx(wallet, this.blobs.kzg, by.l1Address, data, batch.blobs, this.archiveSend());
      receipts.push(await this.undelegate(wallet));
      return sent instanceof Error ? { refusal: this.refusalOf(sent), what } : { receipt: sent, what };
    }
    const what = `a batch ${inside} (calldata path: submitBatch inside a type-4 transaction)`;
    try {
      const tx = await wallet.sendTransaction({
        type: 4,
        to: by.l1Address,
        data: forward(standardCalldata(this.rollup.interface, rawBatch(built, by.l2.address))),
        authorizationList: [auth],
        gasLimit: 3_000_000n,
      });
      const receipt = (await tx.wait())!;
      receipts.push(await this.undelegate(wallet));
      return { receipt, what };
    } catch (error) {
      const failed = (error as { receipt?: TransactionReceipt }).receipt;
      if (failed) receipts.push(failed);
      receipts.push(await this.undelegate(wallet));
      return { refusal: this.refusalOf(error), what };
    }
  }

  /** Clears `wallet`'s EIP-7702 delegation (an authorization to address 0), so its account posts plainly again. */
  private async undelegate(wallet: HDNodeWallet): Promise<TransactionReceipt> {
    const nonce = await wallet.getNonce();
    const { chainId } = await this.ctx.hre.ethers.provider.getNetwork();
    const auth = await wallet.authorize({ address: ZeroAddress, nonce: nonce + 1, chainId });
    const tx = await wallet.sendTransaction({ type: 4, to: wallet.address, authorizationList: [auth] });
    this.ctx.log(`attacker: cleared the delegation of its account`);
    return (await tx.wait())!;
  }

  /** The reason of a refusal, digging through a forwarder's ForwardFailed(target, reason) when there is one. */
  private refusalOf(error: unknown): string {
    const message = String((error as Error).message ?? error);
    const data = /return data: (0x[0-9a-fA-F]+)/.exec(message)?.[1] ?? (error as { data?: string }).data;
    if (data) {
      try {
        const parsed = FORWARDER_ERRORS.parseError(data);
        if (parsed) return `ForwardFailed: ${refusal(this.rollup, { data: parsed.args.reason as string })}`;
      } catch {
        // not the forwarder's error
      }
    }
    return refusal(this.rollup, error);
  }

  /** `by`'s L1 key as a wallet (to sign an EIP-7702 authorization): the Hardhat account it was given. */
  private walletOf(by: Person): HDNodeWallet {
    const accounts = this.ctx.hre.config.networks.hardhat.accounts as { mnemonic: string; path: string; count: number };
    for (let i = 0; i < accounts.count; i++) {
      const wallet = HDNodeWallet.fromPhrase(accounts.mnemonic, undefined, `${accounts.path}/${i}`);
      if (wallet.address === by.l1Address) return wallet.connect(this.ctx.hre.ethers.provider);
    }
    throw new Error(`attack: no key for ${by.name}'s L1 account ${by.l1Address}`);
  }

  /**
   * Posts `count` valid batches of one empty chunk on top of the tip, straight to submitBatch, 200 a block. With
   * params.posting "blob", straight to submitBlobBatch instead: each a type-3 transaction with one blob (of zeros,
   * the empty chunk at element 0) through the archive, one a block (a block holds only a few blobs).
   */
  private async spamBatches(by: Person, count: number): Promise<StepResult> {
    const receipts = await this.attackerBond(by);
    const view = await readL1(this.rollup, this.blobs?.archive);
    const tip = view.batches[view.tipId];
    const state = rebuild(view).state;
    const feeAccount = state.findAccount(by.l2.address) ?? state.nextFreeIndex();
    const tipRecord = tip.record;
    const batch = {
      states: [
        {
          stateRoot: tipRecord.stateRoot,
          exitRoot: hexOf(
            rootOf(
              Array.from({ length: view.chunkSize }, () => Buffer.alloc(32)),
              exitTreeDepth(view.chunkSize),
            ),
          ),
          depositCursor: BigInt(tip.depositEnd),
          forcedCursor: BigInt(tip.forcedEnd),
        },
      ],
      feeRecipient: by.l2.address,
      feeAccount,
    };
    const to = await this.rollup.getAddress();
    const hashes: string[] = [];
    let path = "calldata path: submitBatch, 200 a block";
    if (this.blobs) {
      path = "blob path: submitBlobBatch, each a type-3 transaction with one blob, through the blob archive";
      const empty = {
        ...batch.states[0],
        stateRoot: Buffer.from(batch.states[0].stateRoot.slice(2), "hex"),
        exitRoot: Buffer.from(batch.states[0].exitRoot.slice(2), "hex"),
      };
      const { args, built } = blobBatchOf(this.blobs.kzg, [Buffer.alloc(0)], [empty], by.l2.address, feeAccount);
      const data = standardBlobCalldata(this.rollup.interface, args);
      const wallet = this.walletOf(by);
      for (let sent = 0; sent < count; sent++) {
        const outcome = await sendBlobTx(wallet, this.blobs.kzg, to, data, built.blobs, this.archiveSend(), 300_000n);
        if (outcome instanceof Error) {
          this.ctx.log(`attacker ${by.name}: blob batch ${sent + 1} refused: ${this.refusalOf(outcome)}`);
          break;
        }
        hashes.push(outcome.hash);
      }
    } else {
      const data = standardCalldata(this.rollup.interface, { ...batch, chunks: ["0x"] });
      const provider = this.ctx.hre.network.provider;
      let nonce = await by.l1.getNonce();
      await provider.send("evm_setAutomine", [false]);
      try {
        for (let sent = 0; sent < count;) {
          const inBlock = Math.min(200, count - sent);
          for (let i = 0; i < inBlock; i++)
            hashes.push((await by.l1.sendTransaction({ to, data, nonce: nonce++, gasLimit: 200_000n })).hash);
          await provider.send("evm_mine", []);
          sent += inBlock;
        }
      } finally {
        await provider.send("evm_setAutomine", [true]);
      }
    }
    let accepted = 0;
    for (const hash of hashes) {
      const receipt = await this.ctx.hre.ethers.provider.getTransactionReceipt(hash);
      receipts.push(receipt!);
      if (receipt!.status === 1) accepted++;
    }
    this.operatorBehind = true;
    return {
      outcome: `${by.name} posted ${count} empty batches on top of batch ${view.tipId} (${path}): L1 accepted ${accepted}, the tip is now batch ${await this.rollup.tipId()}`,
      receipts,
    };
  }

  /**
   * One block, automine off: the victim's transaction goes first with a 2 gwei tip, the attacker's follows with a
   * ten times higher tip (fee cap a hundred times the tip), then one block mines both. Returns both receipts.
   */
  private async inOneBlock(
    victimSend: (fees: { maxPriorityFeePerGas: bigint }) => Promise<{ hash: string }>,
    attackerSend: (fees: { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }) => Promise<{ hash: string }>,
  ): Promise<{ victim: TransactionReceipt; attacker: TransactionReceipt }> {
    const provider = this.ctx.hre.network.provider;
    const tip = 2_000_000_000n;
    await provider.send("evm_setAutomine", [false]);
    let victimHash: string;
    let attackerHash: string;
    try {
      victimHash = (await victimSend({ maxPriorityFeePerGas: tip })).hash;
      attackerHash = (await attackerSend({ maxPriorityFeePerGas: tip * 10n, maxFeePerGas: tip * 100n })).hash;
      await provider.send("evm_mine", []);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const ethers = this.ctx.hre.ethers;
    return {
      victim: (await ethers.provider.getTransactionReceipt(victimHash))!,
      attacker: (await ethers.provider.getTransactionReceipt(attackerHash))!,
    };
  }

  /**
   * The armed front-run-challenge: the challenger commits to its proof, then sends it; the attacker sees that
   * transaction waiting, copies its calldata and sends it from its own account with a ten times higher tip, so
   * the copy is mined first (automine off, one block).
   */
  private async frontRunChallenge(step: Step, by: Person, attacker: Person): Promise<StepResult> {
    this.armed.challenge = undefined;
    const view = await readL1(this.rollup, this.blobs?.archive);
    let batchId: number;
    let chunkIndex: number;
    if (step.batch !== undefined) {
      batchId = Number(step.batch);
      chunkIndex = Math.floor(Number(step.tx ?? 0) / view.chunkSize);
    } else {
      const { invalid } = rebuild(view);
      if (!invalid) return { outcome: "nothing to challenge (the attacker had nothing to copy)", receipts: [] };
      ({ batchId, chunkIndex } = invalid);
    }
    const openings: ContractTransactionReceipt[] = [];
    if (this.blobs) {
      // A blob batch's chunk is opened against its blob before any proof of it (BlobChunks.openChunk).
      const opened = await openBlobChunk(this.rollup, by.l1, this.blobs.kzg, view.batches[batchId], chunkIndex);
      if (opened) openings.push(opened);
    }
    const proof = buildFraudProof(view, batchId, chunkIndex);
    const data = this.rollup.interface.encodeFunctionData("proveFraud", [proof]);
    const to = await this.rollup.getAddress();
    const commit = await (
      await this.rollup.connect(by.l1).commitFraudProof(fraudCommitment(by.l1Address, data))
    ).wait();
    const gasLimit = ((await this.ctx.hre.ethers.provider.estimateGas({ from: by.l1Address, to, data })) * 12n) / 10n;
    const { victim: honest, attacker: copy } = await this.inOneBlock(
      (fees) => by.l1.sendTransaction({ to, data, gasLimit, ...fees }),
      (fees) => attacker.l1.sendTransaction({ to, data, gasLimit, ...fees }),
    );
    this.ctx.log(
      `attacker ${attacker.name}: copied ${by.name}'s proof transaction (tx ${copy.hash}); mined ${copy.index < honest.index ? "first" : "after"}, ${copy.status === 1 ? "succeeded" : "reverted"}`,
    );
    const paid = (r: TransactionReceipt) =>
      r.logs
        .map((l) => this.rollup.interface.parseLog(l))
        .filter((e) => e?.name === "OperatorSlashed")
        .map(
          (e) =>
            `${e!.args.reward} wei to ${e!.args.beneficiary === by.l1Address ? by.name : e!.args.beneficiary === attacker.l1Address ? attacker.name : e!.args.beneficiary}`,
        );
    const copyText =
      copy.status === 1 ? `the copy succeeded (paid ${paid(copy).join(", ") || "nothing"})` : "the copy reverted";
    if (honest.status !== 1) {
      const standing = this.batchStatus(await readL1(this.rollup, this.blobs?.archive), batchId);
      if (standing !== "rolled-back")
        throw new StepRefusedError(`${by.name}'s proof reverted and batch ${batchId} stands`);
      return {
        outcome: `${copyText}; ${by.name}'s proof then reverted: batch ${batchId} was already rolled back`,
        receipts: [...openings, commit!, copy, honest],
      };
    }
    return {
      outcome: `${copyText}; ${by.name}'s proof then rolled back batch ${batchId} and L1 paid ${paid(honest).join(", ") || "nothing"}`,
      receipts: [...openings, commit!, copy, honest],
    };
  }

  /**
   * The armed front-run-forced: the victim signs and sends its forced withdrawal; the attacker sees it waiting and
   * gets a request of its own (signed by its own L2 key) mined first with a ten times higher tip.
   */
  private async frontRunForced(step: Step, victim: Person, attacker: Person): Promise<StepResult> {
    this.armed.forced = undefined;
    const amount = ethToWei(String(step.amount));
    const { state } = rebuild(await readL1(this.rollup, this.blobs?.archive));
    const index = this.accountOf(state, victim);
    const sig = signForcedWithdrawal(
      this.domain,
      victim.l2.signingKey,
      index,
      victim.l1Address,
      amount,
      await this.rollup.forcedNonce(victim.l1Address),
    );
    const attackerAccount = state.findAccount(attacker.l2.address) ?? index;
    const attackerSig = signForcedWithdrawal(
      this.domain,
      attacker.l2.signingKey,
      attackerAccount,
      attacker.l1Address,
      1n,
      await this.rollup.forcedNonce(attacker.l1Address),
    );
    const { victim: mine, attacker: theirs } = await this.inOneBlock(
      (fees) =>
        this.rollup.connect(victim.l1).requestForcedWithdrawal(index, amount, sig, { gasLimit: 300_000n, ...fees }),
      (fees) =>
        this.rollup
          .connect(attacker.l1)
          .requestForcedWithdrawal(attackerAccount, 1n, attackerSig, { gasLimit: 300_000n, ...fees }),
    );
    const requested = (r: TransactionReceipt) =>
      r.logs.map((l) => this.rollup.interface.parseLog(l)).find((e) => e?.name === "ForcedWithdrawalRequested");
    const their = requested(theirs);
    this.ctx.log(
      `attacker ${attacker.name}: its own request (tx ${theirs.hash}) was mined ${theirs.index < mine.index ? "first" : "after"}${their ? ` as request ${their.args.requestIndex}` : ", and reverted"}`,
    );
    const recorded = requested(mine);
    if (mine.status !== 1 || !recorded) throw new StepRefusedError(`${victim.name}'s request reverted on L1`);
    const signer =
      recorded.args.signer === victim.l2.address ? `${victim.name}'s key` : `another key (${recorded.args.signer})`;
    return {
      outcome: `${victim.name} asked L1 to force an exit of ${step.amount} ETH: recorded as request ${recorded.args.requestIndex}, signed by ${signer}`,
      receipts: [theirs, mine],
    };
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
   * bytes need padding), straight to submitBatch from its own account, in the `odd` or standard encoding. With
   * params.posting "blob" the batch goes the blob path instead: submitBlobBatch in a type-3 transaction the attacker
   * signs, its chunks in blobs, sent through the blob archive.
   */
  private async hostileBatch(
    by: Person,
    fault: Record<string, unknown> | undefined,
    encoding: "odd" | "standard" | "via-contract",
  ): Promise<StepResult> {
    const receipts = await this.attackerBond(by);
    const view = await readL1(this.rollup, this.blobs?.archive);
    const state = rebuild(view).state;
    const spec = fault ? this.hostileFault(fault, state, by) : undefined;
    const built = buildHostileBatch(this.rollup, by.l1, view, this.params, by.l2.address, spec, [paddingTx(view)]);
    const cheat = spec ? `, cheating: ${spec.kind}` : "";
    const sent =
      encoding === "via-contract"
        ? await this.viaDelegation(by, built, receipts)
        : await this.postHostile(by, built, encoding);
    const what = `${sent.what}${cheat}`;
    if (!sent.receipt) return { outcome: `${by.name} sent ${what}; L1 refused it: ${sent.refusal}`, receipts };
    receipts.push(sent.receipt);
    const id = Number(await this.rollup.tipId());
    this.hostileExits.set(id, built.exits);
    this.operatorBehind = true;
    return { outcome: `${by.name} sent ${what}; L1 accepted it as batch ${id}`, receipts };
  }

  /**
   * Sends a batch the attacker built, from its own account, by the posting path of the scenario: submitBatch's
   * calldata, or (posting "blob") submitBlobBatch in a type-3 transaction through the archive. Says which path.
   */
  private async postHostile(
    by: Person,
    built: ReturnType<typeof buildHostileBatch>,
    encoding: "odd" | "standard",
  ): Promise<{ receipt?: TransactionReceipt; refusal?: string; what: string }> {
    const iface = this.rollup.interface;
    const to = await this.rollup.getAddress();
    const how = encoding === "odd" ? "a non-standard encoding" : "the standard encoding";
    if (this.blobs) {
      const batch = rawBlobBatch(this.blobs.kzg, built, by.l2.address);
      const data = encoding === "odd" ? oddBlobCalldata(iface, batch) : standardBlobCalldata(iface, batch);
      const what = `${how} of submitBlobBatch (blob path: ${(data.length - 2) / 2} bytes of calldata and ${batch.blobs.length} blob(s) in a type-3 transaction, through the blob archive)`;
      const sent = await sendBlobTx(this.walletOf(by), this.blobs.kzg, to, data, batch.blobs, this.archiveSend());
      return sent instanceof Error ? { refusal: this.refusalOf(sent), what } : { receipt: sent, what };
    }
    const batch = rawBatch(built, by.l2.address);
    const data = encoding === "odd" ? oddCalldata(iface, batch) : standardCalldata(iface, batch);
    const what = `${how} of submitBatch (calldata path: ${(data.length - 2) / 2} bytes)`;
    const sent = await sendRaw(by.l1, to, data);
    return sent.receipt ? { receipt: sent.receipt, what } : { refusal: refusal(this.rollup, sent.error), what };
  }

  /** The blob archive's raw-transaction endpoint: where every blob transaction of the scenario goes. */
  private archiveSend(): (raw: string) => Promise<string> {
    const archive = this.blobs!.archive;
    return (raw) => archive.sendRawTransaction(raw);
  }

  /** Posts `count` batches with a wrong state root, then proves each itself, newest first. */
  private async selfSlash(by: Person, count: number): Promise<StepResult> {
    const receipts: TransactionReceipt[] = [];
    const ids: number[] = [];
    const path = this.blobs ? "blob path: each in a type-3 transaction through the archive" : "calldata path";
    for (let i = 0; i < count; i++) {
      receipts.push(...(await this.attackerBond(by)));
      const view = await readL1(this.rollup, this.blobs?.archive);
      const built = buildHostileBatch(this.rollup, by.l1, view, this.params, by.l2.address);
      // A root no execution gives, different for every batch (a child with its parent's root would be valid).
      const last = built.states[built.states.length - 1];
      last.stateRoot = Buffer.from(
        keccak256(Buffer.concat([Buffer.from(`self-slash ${view.batches.length}`), last.stateRoot])).slice(2),
        "hex",
      );
      const sent = await this.postHostile(by, built, "standard");
      if (!sent.receipt) {
        return {
          outcome: `${by.name} posted ${ids.length} invalid batch(es) (${path}); L1 refused the next: ${sent.refusal}`,
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
        const view = await readL1(this.rollup, this.blobs?.archive);
        if (this.blobs) {
          // A blob batch's chunk is opened against its blob before its proof (BlobChunks.openChunk).
          const opened = await openBlobChunk(this.rollup, by.l1, this.blobs.kzg, view.batches[id], 0);
          if (opened) receipts.push(opened);
        }
        const receipt = await submitFraudProof(this.rollup, by.l1, buildFraudProof(view, id, 0));
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
      outcome: `${by.name} posted invalid batches ${ids.join(", ")} (${path}) and proved ${proven} of them itself, newest first: L1 paid it ${weiToEth(reward)} ETH in rewards${refusedText}`,
      receipts,
    };
  }

  private async escape(by: Person): Promise<StepResult> {
    const view = await readL1(this.rollup, this.blobs?.archive);
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
    const view = await readL1(this.rollup, this.blobs?.archive);
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
    const view = await readL1(this.rollup, this.blobs?.archive);
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
