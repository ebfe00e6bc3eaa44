/**
 * Real processes for the devnet tests: a `hardhat node` child on a free loopback port and task processes
 * (`watch`, `channel-node`, `watchtower`) against it with `--network localhost`, each read line by line so a test
 * can wait for what it printed. Every child is killed in `stopAll` (call it in `after`, it also runs on failure).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { JsonRpcProvider } from "ethers";
import { freePort } from "../../src/devnet/processes";
import { waitReady, type ReadyLine } from "../../src/devnet/ready";
import { nodeAccountKeys } from "../devnet/processes";

export { freePort };

const ROOT = join(__dirname, "..", "..");
const HARDHAT = join(ROOT, "node_modules", ".bin", "hardhat");

/** A child process and every line it printed (stdout and stderr), with a way to wait for one. */
export class Child {
  readonly lines: string[] = [];
  private readonly waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];
  exited = false;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    for (const stream of [process.stdout!, process.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => this.onLine(line));
    }
    process.once("exit", () => (this.exited = true));
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (process.env.L2LAB_SHOW_CHILDREN) console.log(`    [${this.name}] ${line}`);
    for (const waiter of [...this.waiters]) {
      if (this.lines.length - 1 >= waiter.from && waiter.pattern.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }

  /** The first line matching `pattern` printed at or after line `from` (default: any so far). */
  waitFor(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<string> {
    const found = this.lines.slice(from).find((line) => pattern.test(line));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `${this.name}: no line like ${pattern} in ${timeoutMs} ms; last:\n${this.lines.slice(-15).join("\n")}`,
          ),
        );
      }, timeoutMs);
      const waiter = {
        pattern,
        from,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** SIGTERM, then SIGKILL if it has not left after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited || this.process.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

const children = new Set<Child>();

function start(name: string, args: string[], env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // `hardhat test` sets it for itself; the child takes its network from --network.
  delete childEnv.HARDHAT_NETWORK;
  const child = spawn(HARDHAT, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const wrapped = new Child(name, child);
  children.add(wrapped);
  return wrapped;
}

export interface DevChain {
  url: string;
  provider: JsonRpcProvider;
  node: Child;
}

/** `npx hardhat node --port <free>`, once it serves. */
export async function startChain(): Promise<DevChain> {
  const port = await freePort();
  const node = start("hardhat-node", ["node", "--port", String(port), "--hostname", "127.0.0.1"]);
  await node.waitFor(/Started HTTP and WebSocket JSON-RPC server/, 120_000);
  const url = `http://127.0.0.1:${port}`;
  // No response cache (cacheTimeout -1): a test reads the chain right after changing it, and ethers' 250 ms
  // cache would answer a repeated read with the state from before.
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 100 });
  return { url, provider, node };
}

/**
 * `npx hardhat <task> --network localhost ...` against `chain`, once it printed its ready line. With `remote`, the
 * task runs on the `remote` network instead, configured as for a public chain: `L2LAB_RPC_URL` and
 * `L2LAB_PRIVATE_KEYS` (keys signing in the process, nonces counted by it), nothing of the dev chain's unlocked
 * accounts.
 */
export async function startTask(
  chain: DevChain,
  name: string,
  args: string[],
  options: { remote?: boolean } = {},
): Promise<{ child: Child; ready: ReadyLine }> {
  const child = options.remote
    ? start(name, [...args, "--network", "remote"], {
        L2LAB_RPC_URL: chain.url,
        L2LAB_PRIVATE_KEYS: nodeAccountKeys(10).join(","),
      })
    : start(name, [...args, "--network", "localhost"], { L2LAB_LOCALHOST_URL: chain.url });
  const ready = await waitReady(child.process, name, 120_000);
  return { child, ready };
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => child.stop()));
  children.clear();
}

/** The channel-node task's arguments for `name`, with its peers' URLs (the tests' alice, bob, carol line). */
export function channelNodeArgs(
  name: string,
  deployment: string,
  port: number,
  towerUrl: string,
  peers: { name: string; url: string }[],
): string[] {
  return [
    "channel-node",
    "--name",
    name,
    "--deployment",
    deployment,
    "--port",
    String(port),
    "--tower",
    towerUrl,
    "--htlc-delta",
    "600",
    "--peer",
    peers.map((p) => `${p.name}=${p.url}`).join(","),
  ];
}
