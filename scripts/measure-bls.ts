/**
 * BLS variant figures (measures, asserts nothing; progress on stderr, results on stdout):
 *   1. off-chain cost per signature of the BLS12-381 code (noble-curves): sign, verify one, aggregate, and an
 *      aggregate verification per message;
 *   2. L1 gas and bytes per transfer when BlsOptimisticRollup posts a batch of BLS transfers (chunks of 64), and
 *      the ratio to the EIP-7623 floor of the calldata.
 *
 *   npx hardhat run scripts/measure-bls.ts                       (osaka, Hardhat's default)
 *   L2LAB_HARDFORK=cancun npx hardhat run scripts/measure-bls.ts (16/4 gas per byte, no floor; posting only)
 *   BLS_BATCH=16384 ...                                           (the largest batch: 256 chunks of 64)
 */
import hre from "hardhat";
import { SigningKey, Wallet, getBytes, keccak256, parseEther, toUtf8Bytes } from "ethers";
import { deployOptimistic } from "./deploy-optimistic";
import { calldataFloor } from "./bench-optimistic";
import { Operator } from "../src/optimistic/operator";
import { readL1 } from "../src/optimistic/l1-view";
import { keyRegistration, rollupTags } from "../src/optimistic/bls";
import { signBlsTransfer } from "../src/optimistic/client";
import { decodeG2, secretKeyFromSeed } from "../src/encoding/bls";
import { timeBlsOffChain } from "../src/bench/bls-timing";
import { BlsKeyRegistry__factory, type OptimisticRollup } from "../typechain-types";
import type { G2Point } from "../src/encoding/bls";

const USERS = 64;
const CHUNK = 64;

async function main(): Promise<void> {
  const timing = timeBlsOffChain();
  process.stderr.write(`off-chain: ${JSON.stringify(timing)}\n`);
  const size = Number(process.env.BLS_BATCH ?? 2048);
  const [opSigner, depositor] = await hre.ethers.getSigners();
  const {
    rollup: deployed,
    params,
    address,
  } = await deployOptimistic(
    hre,
    opSigner,
    { challengePeriod: 3600, chunkSize: CHUNK, batchSize: 1 << 20 },
    { signatures: "bls" },
  );
  const rollup = deployed as unknown as OptimisticRollup & { BLS_KEYS(): Promise<string> };
  const { chainId } = await hre.ethers.provider.getNetwork();
  const tags = rollupTags(chainId, address);
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const registry = BlsKeyRegistry__factory.connect(await rollup.BLS_KEYS(), depositor);
  const keys = new Map<string, G2Point>();
  const wallets = Array.from(
    { length: USERS },
    (_, i) => new SigningKey(keccak256(toUtf8Bytes(`l2lab bls user ${i}`))),
  );
  const secrets = wallets.map((w) => secretKeyFromSeed(w.privateKey));
  let registrationGas = 0n;
  const cancun = process.env.L2LAB_HARDFORK === "cancun";
  for (let i = 0; i < USERS; i++) {
    const r = keyRegistration(secrets[i], wallets[i], domain, tags.pop);
    // Cancun has no EIP-2537 precompiles, so no key can be registered there; posting needs none (L1 checks no
    // signature when a batch is posted), so the cancun run measures posting alone.
    if (!cancun) {
      const receipt = await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
      registrationGas = receipt!.gasUsed;
    }
    keys.set(new Wallet(wallets[i]).address.toLowerCase(), decodeG2(getBytes(r.key)));
    await (await rollup.connect(depositor).deposit(new Wallet(wallets[i]).address, { value: parseEther("10") })).wait();
  }
  const operator = new Operator(rollup, opSigner, Wallet.createRandom().address, params, domain, undefined, {
    txTag: tags.tx,
    keyOf: (o) => keys.get(o),
  });
  await operator.postPending();
  const index = wallets.map((w) => operator.state.findAccount(new Wallet(w).address)!);
  const nonces = index.map((i) => operator.state.account(i).nonce);
  const txs = [];
  for (let k = 0; k < size; k++) {
    const u = k % USERS;
    txs.push(
      signBlsTransfer(
        tags.tx,
        secrets[u],
        { from: index[u], to: index[(u + 1) % USERS], amount: 10n ** 15n, fee: 10n ** 12n },
        nonces[u]++,
      ),
    );
    if (k % 1024 === 1023) process.stderr.write(`signed ${k + 1}/${size}\n`);
  }
  const view = await readL1(rollup);
  const feeAccount = operator.state.nextFreeIndex();
  const built = operator.build(txs, view.deposits, view.forced, feeAccount);
  const receipt = await operator.submit(built);
  const tx = await hre.ethers.provider.getTransaction(receipt.hash);
  const calldata = getBytes(tx!.data);
  const floor = calldataFloor(calldata);
  const gas = Number(receipt.gasUsed);
  const txBytes = built.chunks.reduce((sum, c) => sum + c.length, 0);
  const result = {
    hardfork: process.env.L2LAB_HARDFORK ?? "osaka",
    transfers: size,
    chunks: built.chunks.length,
    l1Gas: gas,
    gasPerTransfer: Math.round((gas / size) * 10) / 10,
    calldataBytes: calldata.length,
    calldataBytesPerTransfer: Math.round((calldata.length / size) * 100) / 100,
    chunkBytesPerTransfer: Math.round((txBytes / size) * 100) / 100,
    floor,
    ratioToFloor: Math.round((gas / floor) * 1000) / 1000,
    keyRegistrationGas: Number(registrationGas),
    offChain: timing,
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
