/**
 * One combination of the optimistic rollup's variants ({ecdsa, bls} signatures × {calldata, blob} posting):
 * deploys it through scripts/deploy-optimistic.ts, credits the users' deposits, then posts batches of N signed
 * transfers with the project's operator (src/optimistic/operator.ts, its `build` + `submit`) at the profile's
 * sizes and, in the full profile, the largest batch that fits. Blob posting is the rollup's own submitBlobBatch
 * (type-3 transactions through the blob archive); after its largest batch the largest chunk is opened against
 * its blob (BlobChunks.openChunk), the costliest step of a blob batch's fraud proof.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { SigningKey, computeAddress, keccak256, parseEther, toUtf8Bytes } from "ethers";
import type { ContractTransactionReceipt } from "ethers";
import type { BenchContext } from "../context";
import { countBytes } from "../calldata";
import { TX_GAS_CAP } from "../profile";
import type { BenchRow } from "../types";

export type Signatures = "ecdsa" | "bls";
export type BatchPosting = "calldata" | "blob";
export interface Combination {
  signatures: Signatures;
  posting: BatchPosting;
}

/** Every combination, in report order. */
export const COMBINATIONS: Combination[] = [
  { signatures: "ecdsa", posting: "calldata" },
  { signatures: "ecdsa", posting: "blob" },
  { signatures: "bls", posting: "calldata" },
  { signatures: "bls", posting: "blob" },
];

/**
 * The row variant of an operation under `signatures`: ECDSA keeps the plain names ("batch", ...) so its rows keep
 * their snapshot keys; BLS rows carry a "bls-" prefix ("bls-batch").
 */
export function variantOf(signatures: Signatures, operation: string): string {
  return signatures === "bls" ? `bls-${operation}` : operation;
}

/** Senders of the benchmark's transfers (a handful, each sending many with rising nonces). */
const USERS = 8;
/**
 * Transfers per chunk: the default 32 for ECDSA and for blob posting (BlobChunks.MAX_BLOB_CHUNK_SIZE); 64 for BLS
 * in calldata, so one 96-byte aggregate signature covers twice the transfers (the rollup then takes 256 × 64).
 */
function chunkSizeOf(c: Combination): number {
  return c.signatures === "bls" && c.posting === "calldata" ? 64 : 32;
}
/** BLS amounts and fees are floats of a few bits (src/encoding/bls-tx.ts): these encode exactly. */
const AMOUNT = 10n ** 15n;
const BLS_FEE = 10n ** 12n;
const ECDSA_FEE = parseEther("0.00001");

function userKey(i: number): SigningKey {
  return new SigningKey(keccak256(toUtf8Bytes(`l2lab bench optimistic user ${i}`)));
}

/**
 * BLS signatures already made, by DST, sender, recipient, amount, fee and nonce: each combination deploys its
 * rollup at the same address on a reset chain and sends the same transfers, so each (user, nonce) is signed once
 * (signing takes milliseconds per signature). BLS signatures are deterministic, so the other hardfork's process of
 * the same run and later runs reuse them too: they are kept in bench/out/bls-signatures.json (delete it to time
 * the signing again). The key names the signer's address, so a signature is only ever reused for its own key.
 */
export type BlsSignatureCache = Map<string, Uint8Array>;

/** The environment variable naming the file the benchmark's processes share their BLS signatures through. */
export const SIGNATURE_CACHE_ENV = "L2LAB_BENCH_SIGNATURES";
/** Its name in the output directory. */
export const SIGNATURE_CACHE_FILE = "bls-signatures.json";

/** Reads the run's shared signatures, if an earlier process of the run left any. */
export function loadSignatureCache(): BlsSignatureCache {
  const file = process.env[SIGNATURE_CACHE_ENV];
  if (!file || !existsSync(file)) return new Map();
  const entries = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  return new Map(Object.entries(entries).map(([key, hex]) => [key, Buffer.from(hex, "hex")]));
}

/** Leaves this process's signatures for the run's next process. */
export function saveSignatureCache(cache: BlsSignatureCache): void {
  const file = process.env[SIGNATURE_CACHE_ENV];
  if (!file) return;
  const entries: Record<string, string> = {};
  for (const [key, signature] of cache) entries[key] = Buffer.from(signature).toString("hex");
  writeFileSync(file, JSON.stringify(entries));
}

/** Measures one combination; rows go to ctx.record, what cannot be measured to ctx.gap. */
export async function measureCombination(
  ctx: BenchContext,
  combination: Combination,
  blsCache: BlsSignatureCache,
): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { deployOptimistic } =
    require("../../../scripts/deploy-optimistic") as typeof import("../../../scripts/deploy-optimistic");
  const { Operator } = require("../../optimistic/operator") as typeof import("../../optimistic/operator");
  const { signTransfer, signBlsTransfer } =
    require("../../optimistic/client") as typeof import("../../optimistic/client");
  const { readL1 } = require("../../optimistic/l1-view") as typeof import("../../optimistic/l1-view");
  const { keyRegistration, rollupTags } = require("../../optimistic/bls") as typeof import("../../optimistic/bls");
  const { publicKey, secretKeyFromSeed } = require("../../encoding/bls") as typeof import("../../encoding/bls");
  const { loadKzg } = require("../../encoding/kzg") as typeof import("../../encoding/kzg");
  const { BlobArchive } = require("../../optimistic/blob-archive") as typeof import("../../optimistic/blob-archive");
  const { hardhatWallet } = require("../blobs") as typeof import("../blobs");
  const { elementsFor } = require("../../encoding/blob") as typeof import("../../encoding/blob");
  const { openBlobChunk } = require("../../optimistic/watcher") as typeof import("../../optimistic/watcher");
  const { BlsKeyRegistry__factory } = require("../../../typechain-types") as typeof import("../../../typechain-types");
  /* eslint-enable @typescript-eslint/no-require-imports */
  type BlsChunkTx = import("../../encoding/bls-tx").BlsChunkTx;
  type SignedBlsTransfer = import("../../encoding/bls-tx").SignedBlsTransfer;
  type G2Point = import("../../encoding/bls").G2Point;

  const { hre } = ctx;
  const { signatures, posting } = combination;
  const label = `${signatures}/${posting}`;
  const batchVariant = variantOf(signatures, "batch");
  await hre.network.provider.send("hardhat_reset");
  ctx.chainReset();
  const signers = await hre.ethers.getSigners();
  const operatorSigner = signers[0];
  const feeKey = userKey(1000);
  const chunkSize = chunkSizeOf(combination);
  const deployed = await deployOptimistic(hre, operatorSigner, { batchSize: 1 << 20, chunkSize }, { signatures });
  const rollup = deployed.rollup;
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const keys = Array.from({ length: USERS }, (_, i) => userKey(i));
  const addresses = keys.map((k) => computeAddress(k));

  // BLS: every user's key, registered on L1 where EIP-2537 exists (prague on); posting needs no precompile.
  let bls: { txTag: Uint8Array; secrets: bigint[]; keyOf: (owner: string) => G2Point | undefined } | undefined;
  if (signatures === "bls") {
    const { chainId } = await hre.ethers.provider.getNetwork();
    const tags = rollupTags(chainId, deployed.address);
    const secrets = keys.map((k) => secretKeyFromSeed(k.privateKey));
    const publicKeys = new Map(addresses.map((a, i) => [a.toLowerCase(), publicKey(secrets[i])] as const));
    bls = { txTag: tags.tx, secrets, keyOf: (owner) => publicKeys.get(owner.toLowerCase()) };
    if (ctx.hardfork === "cancun") {
      if (posting === "calldata")
        ctx.gap("optimistic", "BLS key registration", "needs the EIP-2537 precompiles, which cancun lacks");
    } else {
      const registry = BlsKeyRegistry__factory.connect(
        await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS(),
        operatorSigner,
      );
      for (let i = 0; i < USERS; i++) {
        const r = keyRegistration(secrets[i], keys[i], domain, tags.pop);
        const receipt = (await (
          await registry.connect(signers[1 + i]).registerBlsKey(r.key, r.possessionProof, r.ownerSignature)
        ).wait())!;
        if (i === 0 && posting === "calldata") {
          await ctx.record({
            system: "optimistic",
            variant: "bls-key-registration",
            posting: "calldata",
            batchSize: 1,
            txs: [{ label: "registerBlsKey", hash: receipt.hash }],
            note: "one user's BLS key with its proof of possession, checked by two EIP-2537 pairings",
          });
        }
      }
    }
  }

  let blobs: { archive: InstanceType<typeof BlobArchive>; kzg: import("../../encoding/kzg").Kzg } | undefined;
  if (posting === "blob") {
    const kzg = await loadKzg();
    const archive = new BlobArchive(kzg, (method, params) => hre.network.provider.request({ method, params }));
    blobs = { archive, kzg };
  }
  const operator = new Operator(
    rollup,
    operatorSigner,
    computeAddress(feeKey),
    deployed.params,
    domain,
    undefined,
    bls && { txTag: bls.txTag, keyOf: bls.keyOf },
    blobs && { wallet: hardhatWallet(hre, 0, hre.ethers.provider), archive: blobs.archive, kzg: blobs.kzg },
  );

  // Users deposit on L1; one batch credits them on L2.
  for (let i = 0; i < USERS; i++) {
    await (await rollup.connect(signers[1 + i]).deposit(addresses[i], { value: parseEther("100") })).wait();
  }
  const deposits = await operator.postPending();
  if (signatures === "ecdsa" && posting === "calldata") {
    await ctx.record({
      system: "optimistic",
      variant: "deposit-batch",
      posting: "calldata",
      batchSize: USERS,
      txs: deposits.receipts.map((r) => ({ label: "submitBatch (deposits)", hash: r.hash })),
      note: `a batch consuming ${USERS} queued L1 deposits`,
    });
  }
  ctx.progress.tick(`optimistic ${label} deposits`);
  const indices = addresses.map((a) => {
    const index = operator.state.findAccount(a);
    if (index === undefined) throw new Error(`optimistic ${label}: deposit of user ${a} was not credited`);
    return index;
  });
  const nonces = new Array<number>(USERS).fill(0);

  const signOne = (u: number): BlsChunkTx => {
    const fields = { from: indices[u], to: indices[(u + 1) % USERS] };
    const nonce = nonces[u]++;
    if (!bls) return signTransfer(domain, keys[u], { ...fields, amount: AMOUNT, fee: ECDSA_FEE, nonce });
    const blsFields = { ...fields, amount: AMOUNT, fee: BLS_FEE };
    const key = `${Buffer.from(bls.txTag).toString("hex")}/${addresses[u]}/${fields.from}/${fields.to}/${AMOUNT}/${BLS_FEE}/${nonce}`;
    const known = blsCache.get(key);
    if (known) {
      const cached: SignedBlsTransfer = { type: "bls-transfer", ...blsFields, signature: known };
      return cached;
    }
    const signed = signBlsTransfer(bls.txTag, bls.secrets[u], blsFields, nonce);
    blsCache.set(key, signed.signature);
    return signed;
  };
  const signBatch = (count: number): BlsChunkTx[] => {
    const txs: BlsChunkTx[] = [];
    for (let i = 0; i < count; i++) {
      txs.push(signOne(i % USERS));
      if (bls && i % 1024 === 1023)
        ctx.progress.log(`  optimistic ${label}: ${i + 1}/${count} transfers signed or reused`);
    }
    return txs;
  };
  const feeAccount = () => {
    const own = operator.state.findAccount(computeAddress(feeKey));
    if (own !== undefined) return own;
    return operator.state.nextFreeIndex();
  };
  /** Builds and posts `txs` as one batch; on failure the operator's state rolls back. */
  const post = async (txs: BlsChunkTx[]): Promise<{ receipt: ContractTransactionReceipt; chunks: Buffer[] }> => {
    const saved = operator.state.clone();
    const view = await readL1(rollup, blobs?.archive);
    try {
      const built = operator.build(txs, view.deposits, view.forced, feeAccount());
      return { receipt: await operator.submit(built), chunks: built.chunks };
    } catch (error) {
      operator.state = saved;
      throw error;
    }
  };
  const measureBatch = async (txs: BlsChunkTx[], note?: string): Promise<BenchRow> => {
    const { receipt, chunks } = await post(txs);
    const fn = posting === "blob" ? "submitBlobBatch" : "submitBatch";
    const row = await ctx.record({
      system: "optimistic",
      variant: batchVariant,
      posting,
      batchSize: txs.length,
      txs: [{ label: `${fn} (${txs.length} transfers, ${chunks.length} chunks)`, hash: receipt.hash }],
      // Blob rows: the chunks' bytes travel in blobs; their counts give bytes per transfer and the floor they avoid.
      payload: posting === "blob" ? countBytes(Buffer.concat(chunks)) : undefined,
      note,
    });
    ctx.progress.tick(`optimistic ${label} batch ${txs.length}`);
    return row;
  };

  const rows: BenchRow[] = [];
  for (const size of ctx.profile.optimisticBatchSizes) rows.push(await measureBatch(signBatch(size)));

  if (ctx.profile.optimisticMaxFit && rows.length >= 2) {
    const [a, b] = rows.slice(-2);
    const perTx = (b.l1Gas - a.l1Gas) / (b.batchSize - a.batchSize);
    const fixed = b.l1Gas - perTx * b.batchSize;
    // The contract takes at most MAX_CHUNKS chunks of CHUNK_SIZE transfers: under cheaper calldata pricing
    // (cancun), with BLS transfers or in blobs, that, not the gas cap, can be the limit.
    const capacity = Number(await rollup.MAX_CHUNKS()) * chunkSize;
    const byGas = Math.floor((Number(TX_GAS_CAP) - fixed) / perTx);
    let n = Math.min(byGas, capacity);
    const limit =
      byGas <= capacity
        ? `largest batch under the ${TX_GAS_CAP} gas cap (EIP-7825), found from the marginal ${perTx.toFixed(1)} gas per transfer`
        : `largest batch the rollup accepts (${capacity / chunkSize} chunks × ${chunkSize} transfers); the ${TX_GAS_CAP} gas cap would allow ~${byGas}`;
    const all = signBatch(n);
    // Unused transfers keep their nonces only if posted: rewind to what the posted prefix used.
    const rewind = (used: number) => {
      for (let i = used; i < all.length; i++) nonces[i % USERS]--;
    };
    let posted = false;
    for (let attempt = 0; attempt < 4 && !posted; attempt++) {
      try {
        rows.push(await measureBatch(all.slice(0, n), `${limit}: ${n} transfers`));
        rewind(n);
        posted = true;
      } catch {
        n = Math.floor(n * 0.99);
      }
    }
    if (!posted) {
      rewind(0);
      ctx.gap("optimistic", `${label} largest batch`, `no batch near ${n} transfers fit (${limit})`);
    }
  }

  if (blobs) {
    // The worst opening: the largest chunk of the last (largest) batch, every field element it spans.
    const view = await readL1(rollup, blobs.archive);
    const batch = view.batches[view.batches.length - 1];
    let largest = 0;
    batch.chunks.forEach((c, i) => {
      if (c.data.length > batch.chunks[largest].data.length) largest = i;
    });
    const bytes = batch.chunks[largest].data.length;
    const receipt = await openBlobChunk(rollup, operatorSigner, blobs.kzg, batch, largest);
    if (!receipt) ctx.gap("optimistic", `${label} blob opening`, "the chunk was opened already");
    else {
      await ctx.record({
        system: "optimistic",
        variant: variantOf(signatures, "blob-opening"),
        posting: "blob",
        batchSize: 1,
        txs: [{ label: `openChunk (${bytes} bytes)`, hash: receipt.hash }],
        note: `BlobChunks.openChunk of the largest chunk of the ${rows[rows.length - 1]?.batchSize ?? 0}-transfer batch: ${bytes} bytes, ${elementsFor(bytes)} field elements, one point evaluation each`,
      });
    }
    ctx.progress.tick(`optimistic ${label} blob opening`);
  }
}
