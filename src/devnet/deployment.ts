/**
 * The devnet's deployment record: which contracts serve which system on which chain, and the block
 * they were deployed in (where a process that follows L1 starts reading). `npx hardhat devnet`
 * writes it once; every long-running process (L2 nodes, watcher, channel nodes, watchtower) reads
 * it, so none of them needs an address on its command line.
 *
 *   .devnet/<chainId>/deployment.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address");

export const DeploymentSchema = z.object({
  chainId: z.number().int().positive(),
  /** The block of the first deployment transaction: where followers start reading logs. */
  fromBlock: z.number().int().nonnegative(),
  optimistic: z
    .object({
      rollup: Address,
      /** How the operator posts batches: in calldata (default) or in EIP-4844 blobs through the archive. */
      posting: z.enum(["calldata", "blob"]).optional(),
      /** Which rollup: OptimisticRollup with ECDSA transfers (default) or BlsOptimisticRollup ("bls"). */
      signatures: z.enum(["ecdsa", "bls"]).optional(),
      /** The blob archive in front of the chain: the public endpoint, where blobs are sent and read. */
      archive: z.string().url().optional(),
    })
    .optional(),
  zk: z.object({ rollup: Address, verifier: Address, poseidon2: Address, poseidon4: Address }).optional(),
  channels: z.object({ contract: Address }).optional(),
});

export type Deployment = z.infer<typeof DeploymentSchema>;

/**
 * Which of the network's accounts (by index in `ethers.getSigners()`) plays which part. One table,
 * so the operator a node signs with is the operator the deployment bonded.
 */
export const ROLES = {
  deployer: 0,
  optimisticOperator: 1,
  zkOperator: 2,
  watcher: 3,
  /** Channel nodes take consecutive accounts from here: alice 4, bob 5, carol 6, ... */
  firstChannelNode: 4,
} as const;

export function deploymentPath(chainId: number | bigint, root = process.cwd()): string {
  return join(root, ".devnet", String(chainId), "deployment.json");
}

export function writeDeployment(deployment: Deployment, path = deploymentPath(deployment.chainId)): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(DeploymentSchema.parse(deployment), null, 2) + "\n");
  return path;
}

/** Reads and checks a deployment record; the error names the file and every bad field. */
export function readDeployment(path: string): Deployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`${path}: no deployment record; run \`npx hardhat devnet\` first (it deploys and writes it)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  const parsed = DeploymentSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${path}: ${problems.join("; ")}`);
  }
  return parsed.data;
}
