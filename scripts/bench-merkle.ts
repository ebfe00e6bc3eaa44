/**
 * Merkle benchmark: `npx hardhat run scripts/bench-merkle.ts`
 *
 * 1. Update speed of the TypeScript sparse Merkle tree at depth 32, keccak and
 *    Poseidon, filled with a few thousand accounts (MERKLE_BENCH_ACCOUNTS,
 *    default 2000; MERKLE_BENCH_UPDATES, default 1000).
 * 2. Gas of one L1 proof check (KeccakMerkle.verify, PoseidonMerkle.verify) at
 *    depth 16 and 32: the library call alone (gasleft() around it in the
 *    harness) and a whole transaction calling verify (eth_estimateGas: 21,000
 *    base, calldata, ABI decoding).
 *
 * Prints a table on stdout, progress on stderr, and writes
 * bench/out/merkle.json with the git revision.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import hre from "hardhat";
import Table from "cli-table3";
import { MerkleHasher, buildPoseidonHasher, keccakHasher } from "../src/merkle";
import { UpdateSpeed, measureUpdateSpeed, randomTree } from "../src/merkle/bench";
import { gitRevision } from "../src/bench/git";
import { deployPoseidon } from "./deploy-poseidon";

interface ProofGas {
  hasher: MerkleHasher["name"];
  depth: number;
  /** Gas of the library call alone. */
  verifyGas: number;
  /** eth_estimateGas of a transaction calling the harness's verify. */
  txGas: number;
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: "${raw}" is not a positive integer`);
  return value;
}

async function measureProofGas(hashers: MerkleHasher[], depths: number[]): Promise<ProofGas[]> {
  const { ethers } = hre;
  const [deployer] = await ethers.getSigners();
  const keccakHarness = await ethers.deployContract("KeccakMerkleHarness");
  const poseidonHarness = await ethers.deployContract("PoseidonMerkleHarness", [await deployPoseidon(deployer, 2)]);
  const results: ProofGas[] = [];
  for (const hasher of hashers) {
    for (const depth of depths) {
      process.stderr.write(`[bench-merkle] L1 proof check: ${hasher.name}, depth ${depth}\n`);
      const { tree, indexes } = randomTree(hasher, depth, 64, BigInt(depth));
      const proof = tree.proof(indexes[0]);
      let verifyGas: bigint;
      let ok: boolean;
      let txGas: bigint;
      if (hasher.name === "keccak") {
        const hex = (v: bigint) => ethers.toBeHex(v, 32);
        const args = [hex(tree.root), hex(proof.leaf), proof.index, proof.siblings.map(hex)] as const;
        [ok, verifyGas] = await keccakHarness.verifyGas(...args);
        txGas = await keccakHarness.verify.estimateGas(...args);
      } else {
        const args = [tree.root, proof.leaf, proof.index, proof.siblings] as const;
        [ok, verifyGas] = await poseidonHarness.verifyGas(...args);
        txGas = await poseidonHarness.verify.estimateGas(...args);
      }
      if (!ok) throw new Error(`bench-merkle: the ${hasher.name} proof at depth ${depth} did not verify on L1`);
      results.push({ hasher: hasher.name, depth, verifyGas: Number(verifyGas), txGas: Number(txGas) });
    }
  }
  return results;
}

async function main(): Promise<void> {
  const accounts = positiveIntFromEnv("MERKLE_BENCH_ACCOUNTS", 2000);
  const updates = positiveIntFromEnv("MERKLE_BENCH_UPDATES", 1000);
  const hashers = [keccakHasher, await buildPoseidonHasher()];

  const speeds: UpdateSpeed[] = hashers.map((hasher) =>
    measureUpdateSpeed(hasher, 32, accounts, updates, (label) => process.stderr.write(`[bench-merkle] ${label}\n`)),
  );
  const gas = await measureProofGas(hashers, [16, 32]);

  // Colours only on a terminal, so piped output stays plain text.
  const style = process.stdout.isTTY ? {} : { head: [], border: [] };
  const speedTable = new Table({
    head: [
      "hash",
      "depth",
      "accounts",
      "inserts/s",
      "updates/s",
      "ms/update",
      "updates/CPU-s",
      "bulk load accounts/s",
      "stored nodes",
    ],
    style,
  });
  for (const s of speeds) {
    speedTable.push([
      s.hasher,
      s.depth,
      s.accounts,
      s.insertsPerSecond.toFixed(0),
      s.updatesPerSecond.toFixed(0),
      (1000 / s.updatesPerSecond).toFixed(3),
      s.updatesPerCpuSecond.toFixed(0),
      s.bulkLoadPerSecond.toFixed(0),
      s.storedNodes,
    ]);
  }
  const gasTable = new Table({ head: ["hash", "depth", "verify gas (library)", "tx gas (verify call)"], style });
  for (const g of gas) gasTable.push([g.hasher, g.depth, g.verifyGas, g.txGas]);

  console.log("TypeScript sparse Merkle tree (one process, one core)");
  console.log(speedTable.toString());
  console.log("L1 Merkle proof check (Hardhat EVM, solc 0.8.28, optimizer 200 runs)");
  console.log(gasTable.toString());

  const outDir = join(hre.config.paths.root, "bench", "out");
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, "merkle.json");
  const report = {
    revision: gitRevision(hre.config.paths.root),
    date: new Date().toISOString(),
    node: process.version,
    assumptions: {
      hardfork: hre.config.networks.hardhat.hardfork,
      accounts,
      updates,
      leafPositions: "SplitMix64 pseudo-random, distinct, over 2^depth",
    },
    updateSpeed: speeds,
    proofGas: gas,
  };
  writeFileSync(outFile, JSON.stringify(report, null, 2) + "\n");
  process.stderr.write(`[bench-merkle] wrote ${outFile}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
