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

/** What a public node's gateway answers for the methods it does not serve. */
const DEVELOPMENT_METHODS = /^(evm_|hardhat_|anvil_|debug_)/;

/**
 * An HTTP JSON-RPC gateway in front of `upstream` that serves like a public node does: it names
 * itself Geth and refuses the development methods (evm_increaseTime, evm_revert, hardhat_reset, ...)
 * with "method not found"; everything else goes to the real chain behind it.
 */
export async function publicGateway(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const answer = async (call: { id?: unknown; method?: string }) => {
    if (call.method === "web3_clientVersion") {
      return { jsonrpc: "2.0", id: call.id, result: "Geth/v1.14.12-stable/linux-amd64/go1.23.4" };
    }
    if (typeof call.method === "string" && DEVELOPMENT_METHODS.test(call.method)) {
      return {
        jsonrpc: "2.0",
        id: call.id,
        error: { code: -32601, message: `the method ${call.method} does not exist/is not available` },
      };
    }
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(call),
    });
    return response.json() as Promise<unknown>;
  };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", async () => {
      try {
        const parsed = JSON.parse(body) as unknown;
        const result = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed as object);
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(result));
      } catch (error) {
        response.statusCode = 502;
        response.end(String(error));
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
