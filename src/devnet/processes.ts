/**
 * The devnet's long-running processes, as data, and the supervisor that starts, watches and stops
 * them. Each process is a Hardhat task started as a child,
 *
 *   npx hardhat <task> --network <net> --deployment <path> [...args]
 *
 * that prints one ready line once it serves (src/devnet/ready.ts). A task that this checkout does not
 * have is skipped, and the devnet says so.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { waitReady, type ReadyLine } from "./ready";
import type { SystemName } from "./deploy";

export interface ProcessSpec {
  /** What the devnet calls it in its table and log prefixes. */
  name: string;
  /** The Hardhat task that runs it. */
  task: string;
  /** The system it serves: `--only` leaves it out when that system is not deployed. */
  system: SystemName;
  /** Arguments after the common ones (`--network`, `--deployment`). */
  args: readonly string[];
}

/** Everything `npx hardhat devnet` runs, in start order; the task contract is in docs/devnet.md. */
export const DEVNET_PROCESSES: readonly ProcessSpec[] = [
  { name: "optimistic-node", task: "optimistic-node", system: "optimistic", args: [] },
  { name: "watch", task: "watch", system: "optimistic", args: [] },
  { name: "zk-node", task: "zk-node", system: "zk", args: [] },
  { name: "watchtower", task: "watchtower", system: "channels", args: [] },
  { name: "alice", task: "channel-node", system: "channels", args: ["--name", "alice"] },
  { name: "bob", task: "channel-node", system: "channels", args: ["--name", "bob"] },
  { name: "carol", task: "channel-node", system: "channels", args: ["--name", "carol"] },
];

/** Hardhat's command line, run by this Node.js directly (no npx in between: its pid is the task's). */
export const HARDHAT_CLI = require.resolve("hardhat/internal/cli/cli");

/** A free TCP port on the loopback interface (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  spec: { name: string };
  child: ChildProcess;
  ready: ReadyLine;
}

/**
 * Children started by this process. `stop()` sends each SIGTERM, then SIGKILL to any still running
 * after `graceMs`, and resolves once every one has exited: nothing it started outlives it.
 */
export class Supervisor {
  private readonly children: { name: string; child: ChildProcess }[] = [];
  private stopping = false;

  constructor(private readonly log: (line: string) => void = (line) => process.stderr.write(line + "\n")) {}

  /** Spawns `command args`, prefixes its output lines with its name, and resolves with its ready line. */
  async start(
    name: string,
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string; readyTimeoutMs?: number; prefix?: boolean } = {},
  ): Promise<Started> {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.push({ name, child });
    const ready = waitReady(child, name, options.readyTimeoutMs);
    // Every line after the ready line, and every stderr line, is a log line for people.
    const label = options.prefix === false ? "" : `[${name}] `;
    createInterface({ input: child.stderr! }).on("line", (line) => this.log(label + line));
    let seenReady = false;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!seenReady && line.startsWith("{") && line.includes('"ready"')) seenReady = true;
      else if (options.prefix === false) process.stdout.write(line + "\n");
      else this.log(label + line);
    });
    child.once("exit", (code, signal) => {
      if (!this.stopping) this.log(`[${name}] exited (${signal ?? `code ${code}`}) while the devnet was running`);
    });
    return { spec: { name }, child, ready: await ready };
  }

  /** Adopts a child started elsewhere, so `stop()` stops it too. */
  adopt(name: string, child: ChildProcess): void {
    this.children.push({ name, child });
  }

  pids(): Record<string, number> {
    return Object.fromEntries(this.children.filter((c) => c.child.pid).map((c) => [c.name, c.child.pid!]));
  }

  /** Stops the children in reverse start order (the chain, started first, stops last). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const { child } of [...this.children].reverse()) await stopChild(child, graceMs);
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    if (running(child)) child.kill("SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves once `url` answers JSON-RPC (`eth_chainId`); rejects if `child` exits first or after `timeoutMs`. */
export async function waitForRpc(url: string, child?: ChildProcess, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && !running(child))
      throw new Error(`the chain at ${url} exited (${child.exitCode ?? child.signalCode}) before it answered`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await response.json()) as { result?: string };
      if (body.result) return Number(body.result);
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`nothing answered JSON-RPC at ${url} within ${timeoutMs} ms`);
}
