/**
 * Fixtures for blob posting (params.posting "blob"): the rollup deployed as in ./fixtures.ts, a blob archive in
 * front of the in-process node, an operator that posts through it with its own key, and a watcher that reads blobs
 * only from the archive.
 */
import hre, { ethers } from "hardhat";
import { Wallet, parseEther } from "ethers";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { Operator, OperatorBls } from "../../src/optimistic/operator";
import { rollupTags } from "../../src/optimistic/bls";
import type { G2Point } from "../../src/encoding/bls";
import { Watcher } from "../../src/optimistic/watcher";
import { BlobArchive } from "../../src/optimistic/blob-archive";
import { loadKzg } from "../../src/encoding/kzg";
import { hardhatWallet } from "../../src/bench/blobs";
import { CHALLENGE_PERIOD, FORCE_DELAY } from "./fixtures";

/** The rollup (OptimisticRollup, or BlsOptimisticRollup for `signatures: "bls"`) with blob posting through an archive. */
async function blobDeployment(signatures: "ecdsa" | "bls") {
  const [opSigner, alice, bob, carol, dave] = await ethers.getSigners();
  const { rollup, params } = await deployOptimistic(
    hre,
    opSigner,
    { challengePeriod: CHALLENGE_PERIOD, forceInclusionDelay: FORCE_DELAY, batchSize: 64 },
    { signatures },
  );
  const kzg = await loadKzg();
  const node = (method: string, params: unknown[]) => hre.network.provider.request({ method, params });
  const archive = new BlobArchive(kzg, node);
  const wallet = hardhatWallet(hre, 0, ethers.provider);
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const operatorKey = Wallet.createRandom();
  // BLS variant: the transfer DST and the keys registered on L1, read back by readL1 (the operator takes them from it).
  const blsKeys = new Map<string, G2Point>();
  const bls: OperatorBls | undefined =
    signatures === "bls"
      ? {
          txTag: rollupTags((await ethers.provider.getNetwork()).chainId, await rollup.getAddress()).tx,
          keyOf: (owner) => blsKeys.get(owner),
        }
      : undefined;
  const operator = new Operator(rollup, opSigner, operatorKey.address, params, domain, undefined, bls, {
    wallet,
    archive,
    kzg,
  });
  const watcher = new Watcher(rollup, dave, undefined, { source: archive, kzg });
  const l1 = [alice, bob, carol];
  const l2 = [0, 1, 2].map((i) => new Wallet(ethers.keccak256(ethers.toUtf8Bytes(`optimistic test user ${i}`))));
  return {
    rollup,
    operator,
    watcher,
    archive,
    kzg,
    wallet,
    params,
    domain,
    opSigner,
    l1,
    l2,
    challenger: dave,
    operatorKey,
    bls,
    blsKeys,
  };
}

export function blobDeployedFixture() {
  return blobDeployment("ecdsa");
}

/** BlsOptimisticRollup posting in blobs: BLS chunks ([aggregate<96>|txs]) laid out in blobs. */
export function blsBlobDeployedFixture() {
  return blobDeployment("bls");
}

/** Funds the users: three deposits, consumed by batch 1, posted in a blob. */
async function funded(f: Awaited<ReturnType<typeof blobDeployment>>) {
  for (let i = 0; i < 3; i++) {
    await (await f.rollup.connect(f.l1[i]).deposit(f.l2[i].address, { value: parseEther(String(i + 1)) })).wait();
  }
  await f.operator.postPending();
  const accounts = f.l2.map((w) => f.operator.state.findAccount(w.address)!);
  return { ...f, accounts };
}

/** Three deposits, consumed by batch 1, posted in a blob. */
export async function blobFundedFixture() {
  return funded(await blobDeployedFixture());
}

/** The same on BlsOptimisticRollup. */
export async function blsBlobFundedFixture() {
  return funded(await blsBlobDeployedFixture());
}

/** A fresh operator restored from L1 through the archive (loadFixture hands back the fixture's objects as they are). */
export async function freshBlobOperator(f: Awaited<ReturnType<typeof blobDeployment>>): Promise<Operator> {
  const operator = new Operator(f.rollup, f.opSigner, f.operatorKey.address, f.params, f.domain, undefined, f.bls, {
    wallet: f.wallet,
    archive: f.archive,
    kzg: f.kzg,
  });
  await operator.restoreFromL1();
  return operator;
}
