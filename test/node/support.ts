/**
 * Real processes for the node tests: a `hardhat node` child on a free loopback port, the rollups deployed on it
 * through the same deploy code the CLI uses, a deployment record, and node task children started with
 * `--network localhost` and L2LAB_LOCALHOST_URL, exactly as a user starts them from a terminal.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";
import { ApiRequestError } from "../../src/net/client";
import { ROLES, writeDeployment, type Deployment } from "../../src/devnet/deployment";
import { freePort } from "../../src/devnet/processes";
import { waitReady } from "../../src/devnet/ready";

export { freePort };
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import type { OptimisticParams } from "../../src/optimistic/params";
import type { OptimisticRollup, ZkRollup } from "../../typechain-types";
import { deployZkRollup } from "../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../src/zk/circuit";
import { ZkKey } from "../../src/zk/keys";
import { randomBytes } from "node:crypto";

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.HARDHAT_NETWORK;
  return env;
}

export interface Proc {
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr (its log lines). */
  readonly log: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnHardhat(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [require.resolve("hardhat/internal/cli/cli"), ...args], {
    cwd: hre.config.paths.root,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  return {
    child,
    log: () => stderr,
    // Resolves on "close", not "exit": a process's last lines can still be in its pipes when it exits.
    kill: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          if (child.stderr?.readableEnded !== false) return resolve();
          child.stderr.once("close", () => resolve());
          return;
        }
        child.once("close", () => resolve());
        child.kill(signal);
      }),
  };
}

export interface DevChain {
  readonly url: string;
  readonly provider: JsonRpcProvider;
  readonly dir: string;
  signer(index: number): Promise<JsonRpcSigner>;
  stop(): Promise<void>;
}

/** A `hardhat node` child on a free port; resolves once it serves JSON-RPC. */
export async function startChain(): Promise<DevChain> {
  const port = await freePort();
  const proc = spawnHardhat(["node", "--port", String(port), "--hostname", "127.0.0.1"]);
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`hardhat node: not serving after 120 s:\n${out}`)), 120_000);
    proc.child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("Started HTTP and WebSocket JSON-RPC server")) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.child.once("exit", (code) => reject(new Error(`hardhat node exited (${code}):\n${out}${proc.log()}`)));
  });
  // Drain stdout: the node logs every call, and a full pipe would stall it.
  proc.child.stdout!.on("data", () => undefined);
  const url = `http://127.0.0.1:${port}`;
  // No response cache (cacheTimeout -1): a test reads the chain right after changing it, and ethers' 250 ms
  // cache would answer a repeated read with the state from before.
  const provider = new JsonRpcProvider(url, undefined, {
    staticNetwork: true,
    cacheTimeout: -1,
    polling: true,
    pollingInterval: 50,
  });
  const dir = mkdtempSync(join(tmpdir(), "l2lab-node-"));
  return {
    url,
    provider,
    dir,
    signer: (index) => provider.getSigner(index),
    stop: async () => {
      provider.destroy();
      await proc.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Deploys the optimistic rollup on `chain` (operator ROLES.optimisticOperator), BlsOptimisticRollup for
 * `signatures: "bls"`, and writes a deployment record.
 */
export async function deployOptimisticOn(
  chain: DevChain,
  overrides: Partial<OptimisticParams> = {},
  signatures: "ecdsa" | "bls" = "ecdsa",
): Promise<{ rollup: OptimisticRollup; deploymentFile: string; deployment: Deployment }> {
  const fromBlock = await chain.provider.getBlockNumber();
  const operator = await chain.signer(ROLES.optimisticOperator);
  const { rollup, address } = await deployOptimistic(hre, operator, overrides, { signatures });
  const deployment: Deployment = {
    chainId: Number((await chain.provider.getNetwork()).chainId),
    fromBlock: fromBlock + 1,
    optimistic: { rollup: address, signatures },
  };
  const deploymentFile = writeDeployment(deployment, join(chain.dir, "deployment.json"));
  return { rollup, deploymentFile, deployment };
}

export interface NodeProc extends Proc {
  readonly url: string;
}

/** Starts `npx hardhat <task> --network localhost ...` against `chain` and waits for its ready line. */
export async function startNode(
  chain: DevChain,
  taskName: "optimistic-node" | "zk-node",
  args: string[],
): Promise<NodeProc> {
  const proc = spawnHardhat([taskName, "--network", "localhost", ...args], { L2LAB_LOCALHOST_URL: chain.url });
  try {
    const ready = await waitReady(proc.child, taskName, 180_000);
    // Keep draining stdout after the ready line.
    proc.child.stdout!.on("data", () => undefined);
    return { ...proc, url: ready.url! };
  } catch (error) {
    await proc.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\nstderr:\n${proc.log().slice(-4000)}`);
  }
}

/** Deploys the zk rollup (test circuit, N=2) on `chain` (operator ROLES.zkOperator) and writes a deployment record. */
export async function deployZkOn(
  chain: DevChain,
): Promise<{ rollup: ZkRollup; deploymentFile: string; deployment: Deployment }> {
  const fromBlock = await chain.provider.getBlockNumber();
  const operator = await chain.signer(ROLES.zkOperator);
  const operatorKey = await ZkKey.fromSeed(randomBytes(32));
  const deployed = await deployZkRollup(hre, { circuit: TEST_CIRCUIT, operator, operatorKey: operatorKey.publicKey });
  const deployment: Deployment = {
    chainId: Number((await chain.provider.getNetwork()).chainId),
    fromBlock: fromBlock + 1,
    zk: {
      rollup: deployed.addresses.ZkRollup,
      verifier: deployed.addresses.verifier,
      poseidon2: deployed.addresses.Poseidon2,
      poseidon4: deployed.addresses.Poseidon4,
    },
  };
  const deploymentFile = writeDeployment(deployment, join(chain.dir, "zk-deployment.json"));
  return { rollup: deployed.rollup, deploymentFile, deployment };
}

/** The API's refusal of `request` (an ApiRequestError); throws when it was answered. */
export async function refusal(request: Promise<unknown>): Promise<ApiRequestError> {
  const outcome = await request.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ApiRequestError)) throw new Error(`expected a refusal, got ${String(outcome)}`);
  return outcome;
}
