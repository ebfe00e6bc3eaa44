/**
 * Optimistic rollup figures (not a test: it measures, it asserts nothing):
 *   1. L1 gas per L2 transfer when posting batches of 1, 64, 512 and 2048
 *      transfers, bytes per transfer, and the ratio to the EIP-7623 calldata
 *      floor of the same packed bytes;
 *   2. L1 gas of a fraud proof for each fault kind at the default chunk size,
 *      in a one-chunk batch and in a 2048-transfer batch (fault in the last chunk);
 *   3. watcher rebuild speed from L1 data for 10,240 transfers.
 *
 *   npx hardhat run scripts/bench-optimistic.ts          (JSON on stdout, progress on stderr)
 *   BENCH_ONLY=rebuild npx hardhat run scripts/bench-optimistic.ts
 *
 * Importing this file runs nothing.
 */
import hre from "hardhat";
import { SigningKey, Wallet, keccak256, parseEther, toUtf8Bytes } from "ethers";
import { deployOptimistic } from "./deploy-optimistic";
import { Operator, FaultSpec } from "../src/optimistic/operator";
import { readL1 } from "../src/optimistic/l1-view";
import { Watcher, rebuild } from "../src/optimistic/watcher";
import { signTransfer } from "../src/optimistic/client";
import { L2State } from "../src/optimistic/state";
import { DEFAULT_PARAMS } from "../src/optimistic/params";
import { L2Tx, TransferTx, encodeTxs } from "../src/encoding/tx";
import type { OptimisticRollup } from "../typechain-types";

const USERS = 64;
const AMOUNT = parseEther("0.001");
const FEE = 10n ** 12n;

/** EIP-7623 floor of a payload: 21,000 + 10 gas per token, 1 token per zero byte and 4 per non-zero byte. */
export function calldataFloor(bytes: Uint8Array): number {
  let tokens = 0;
  for (const b of bytes) tokens += b === 0 ? 1 : 4;
  return 21_000 + 10 * tokens;
}

function userKey(i: number): SigningKey {
  return new SigningKey(keccak256(toUtf8Bytes(`l2lab bench user ${i}`)));
}

interface Setup {
  rollup: OptimisticRollup;
  operator: Operator;
  keys: SigningKey[];
  accountOf: number[];
}

async function setup(): Promise<Setup> {
  const [opSigner, depositor] = await hre.ethers.getSigners();
  const { rollup, params } = await deployOptimistic(hre, opSigner, { challengePeriod: 3600 });
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const operator = new Operator(rollup, opSigner, Wallet.createRandom().address, params, domain);
  const keys = Array.from({ length: USERS }, (_, i) => userKey(i));
  for (const key of keys)
    await (await rollup.connect(depositor).deposit(new Wallet(key).address, { value: parseEther("10") })).wait();
  await operator.postPending();
  const accountOf = keys.map((k) => operator.state.findAccount(new Wallet(k).address)!);
  return { rollup, operator, keys, accountOf };
}

/** n transfers signed locally against `state` (nonces tracked here, no RPC). */
export function signTransfers(
  state: L2State,
  domain: Buffer,
  keys: SigningKey[],
  accountOf: number[],
  n: number,
  seed = 0,
): TransferTx[] {
  const nonces = accountOf.map((i) => state.account(i).nonce);
  const txs: TransferTx[] = [];
  for (let i = 0; i < n; i++) {
    const from = (i + seed) % keys.length;
    const to = (from * 7 + 1 + i) % keys.length === from ? (from + 1) % keys.length : (from * 7 + 1 + i) % keys.length;
    txs.push(
      signTransfer(domain, keys[from], {
        from: accountOf[from],
        to: accountOf[to],
        amount: AMOUNT,
        fee: FEE,
        nonce: nonces[from]++,
      }),
    );
  }
  return txs;
}

async function postTransfers(s: Setup, txs: L2Tx[], fault?: FaultSpec) {
  const view = await readL1(s.rollup);
  const feeAccount = s.operator.state.findAccount(s.operator.feeRecipient) ?? s.operator.state.nextFreeIndex();
  const built = s.operator.build(txs, view.deposits, view.forced, feeAccount, fault);
  const receipt = await s.operator.submit(built);
  return { built, receipt };
}

async function gasPerTransfer(s: Setup) {
  const rows = [];
  for (const n of [1, 64, 512, 2048]) {
    process.stderr.write(`posting a batch of ${n} transfers...\n`);
    const txs = signTransfers(s.operator.state, s.operator.domain, s.keys, s.accountOf, n);
    const payload = encodeTxs(txs);
    const { receipt } = await postTransfers(s, txs);
    const gas = Number(receipt.gasUsed);
    const floor = calldataFloor(payload);
    rows.push({
      transfers: n,
      gas,
      gasPerTransfer: Math.round(gas / n),
      bytesPerTransfer: payload.length / n,
      floorOfPayload: floor,
      ratioToFloor: +(gas / floor).toFixed(4),
    });
  }
  return rows;
}

async function fraudProofGas(s: Setup) {
  const provider = hre.network.provider;
  const chunkSize = s.operator.params.chunkSize;
  const [, , challenger, outsider] = await hre.ethers.getSigners();
  const rows = [];
  for (const size of [chunkSize, 2048]) {
    for (const kind of [
      "bad-state-root",
      "mint",
      "overdraft",
      "forged-signature",
      "replay",
      "skip-deposit",
      "fake-exit",
      "malformed",
    ] as const) {
      const snapshot = await provider.request({ method: "evm_snapshot", params: [] });
      const saved = s.operator.state.clone();
      const transfers = kind === "overdraft" || kind === "forged-signature" || kind === "replay" ? size - 1 : size;
      let txs: L2Tx[] = signTransfers(s.operator.state, s.operator.domain, s.keys, s.accountOf, transfers, 3);
      let fault: FaultSpec;
      const stateNow = s.operator.state;
      const next = (i: number) =>
        txs.filter((t) => t.type === "transfer" && t.from === s.accountOf[i]).length +
        stateNow.account(s.accountOf[i]).nonce;
      switch (kind) {
        case "overdraft":
          fault = {
            kind,
            tx: signTransfer(s.operator.domain, s.keys[0], {
              from: s.accountOf[0],
              to: s.accountOf[1],
              amount: parseEther("1000"),
              fee: 0n,
              nonce: next(0),
            }),
          };
          break;
        case "forged-signature":
          fault = {
            kind,
            tx: signTransfer(s.operator.domain, s.keys[5], {
              from: s.accountOf[0],
              to: s.accountOf[1],
              amount: AMOUNT,
              fee: 0n,
              nonce: next(0),
            }),
          };
          break;
        case "replay":
          fault = { kind, from: s.accountOf[0] };
          break;
        case "mint":
          fault = { kind, to: s.accountOf[0], amount: parseEther("100") };
          break;
        case "fake-exit":
          fault = { kind, recipient: await outsider.getAddress(), amount: parseEther("1") };
          break;
        case "skip-deposit": {
          await (
            await s.rollup.connect(outsider).deposit(await outsider.getAddress(), { value: parseEther("1") })
          ).wait();
          txs = [{ type: "deposit", to: s.operator.state.nextFreeIndex() }, ...txs.slice(0, txs.length - 1)];
          fault = { kind };
          break;
        }
        default:
          fault = { kind };
      }
      process.stderr.write(`fraud proof: ${kind} in a batch of ${size} txs...\n`);
      await postTransfers(s, txs, fault);
      const result = await new Watcher(s.rollup, challenger).challengeFirstInvalid();
      if (!result) throw new Error(`bench: ${kind} was not caught`);
      rows.push({
        batchTxs: size,
        fault: kind,
        proven: result.invalid.fault,
        chunk: result.invalid.chunkIndex,
        tx: result.invalid.txIndex,
        gas: Number(result.receipt.gasUsed),
        calldataBytes: (await result.receipt.getTransaction()).data.length / 2 - 1,
      });
      await provider.request({ method: "evm_revert", params: [snapshot] });
      s.operator.state = saved;
    }
  }
  return rows;
}

async function rebuildSpeed() {
  process.stderr.write("rebuild: posting 5 batches of 2048 transfers on a fresh rollup...\n");
  const s = await setup();
  let total = 0;
  for (let b = 0; b < 5; b++) {
    const txs = signTransfers(s.operator.state, s.operator.domain, s.keys, s.accountOf, 2048, b);
    await postTransfers(s, txs);
    total += txs.length;
  }
  const t0 = performance.now();
  const view = await readL1(s.rollup);
  const t1 = performance.now();
  const result = rebuild(view);
  const t2 = performance.now();
  if (result.invalid) throw new Error("bench: honest batches found invalid");
  return {
    transfers: total,
    fetchAndDecodeMs: Math.round(t1 - t0),
    executeMs: Math.round(t2 - t1),
    transfersPerSecondExecute: Math.round(total / ((t2 - t1) / 1000)),
    transfersPerSecondTotal: Math.round(total / ((t2 - t0) / 1000)),
  };
}

/** BENCH_ONLY=posting|fraud|rebuild limits the run to one part. */
export async function main(): Promise<void> {
  await hre.run("compile", { quiet: true });
  const only = process.env.BENCH_ONLY;
  const s = only === "rebuild" ? undefined : await setup();
  const posting = s && (!only || only === "posting") ? await gasPerTransfer(s) : undefined;
  const fraudProofs = s && (!only || only === "fraud") ? await fraudProofGas(s) : undefined;
  const rebuildFigures = !only || only === "rebuild" ? await rebuildSpeed() : undefined;
  const commit = require("child_process").execSync("git rev-parse --short HEAD").toString().trim();
  const out = {
    system: "optimistic",
    commit,
    hardfork: hre.config.networks.hardhat.hardfork,
    chunkSize: DEFAULT_PARAMS.chunkSize,
    assumptions: "Hardhat in-process chain; gas is receipt gasUsed (EIP-7623 floor applies when execution is small)",
    posting,
    fraudProofs,
    rebuild: rebuildFigures,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
