/**
 * Real processes for the devnet tests: Hardhat commands run as children of this test process (by
 * this Node.js, on free loopback ports), and the bookkeeping to leave none behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { HDNodeWallet, Mnemonic } from "ethers";
import { HARDHAT_CLI, freePort, waitForRpc } from "../../src/devnet/processes";

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/** `npx hardhat <args>` as a child, its output collected. */
export function hardhat(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [HARDHAT_CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** A `hardhat node` on a free loopback port, answering JSON-RPC. */
export async function chain(): Promise<{ url: string; run: Run }> {
  const port = await freePort();
  const run = hardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)]);
  const url = `http://127.0.0.1:${port}`;
  await waitForRpc(url, run.child);
  return { url, run };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for every pid to be gone; returns those still alive. */
export async function gone(pids: readonly number[], ms = 20_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = left.filter(alive);
  }
  return left;
}

/** SIGKILLs every child a test started that is still running (for `after`, also on failure). */
export function killAll(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/** The private keys of the accounts `hardhat node` funds (Hardhat's public test mnemonic). */
export function nodeAccountKeys(count: number): string[] {
  const mnemonic = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  return Array.from({ length: count }, (_, i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).privateKey);
}
