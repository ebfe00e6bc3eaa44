/**
 * The explorer's server: a loopback HTTP server that hands a read-only page to a browser and stands between
 * that page and what it reads, so the page needs no CORS and can never send a transaction.
 *
 *   GET  /                    the page (src/explorer/page/index.html) and its ES modules and stylesheet
 *   GET  /vendor/ethers.js    ethers' browser build, from node_modules
 *   GET  /charts/<name>.js    the benchmark's chart code (src/bench/charts/*.ts), transpiled as it is asked for,
 *                             so the page draws with the very code and colours the benchmark draws with
 *   GET  /config.json         the deployment record (if any), the ABIs of the three systems, the node URLs
 *   POST /rpc                 JSON-RPC to the chain, read methods only (READ_METHODS); anything else is refused
 *   GET  /node/<system>/<path>  a GET to that node's API, answered with its status and body: the L2 nodes
 *                             (optimistic, zk), the watchtower, and each channel node (channel/<name>)
 *   GET  /verification-gas?to=<verifier>&data=<verifyProof calldata>&block=<n>  the execution gas of that call
 *                             run alone on the state at block n, from the chain's debug_traceCall
 *                             (src/bench/trace.ts, as the benchmark measures the verifier alone)
 *
 * Every number the page shows comes through /rpc (events, receipts, blocks, view calls) or /node (the nodes'
 * own answers); the one number the server works out is a zk batch's proof verification gas, from the chain's
 * own trace of that transaction.
 */
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { Deployment } from "../devnet/deployment";
import { FAULTS } from "../optimistic/state";
import { traceCallExecution, type TraceProvider } from "../bench/trace";

/** The only JSON-RPC methods the page may call: reads. Sending, signing and the node's test methods are refused. */
export const READ_METHODS = new Set([
  "eth_chainId",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getLogs",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_call",
  "eth_getBalance",
  "eth_getCode",
  "eth_gasPrice",
  "eth_feeHistory",
  "net_version",
]);

/** The contracts whose events the page decodes, by artifact path under artifacts/contracts. */
const ABIS = {
  OptimisticRollup: "optimistic/OptimisticRollup.sol/OptimisticRollup.json",
  ZkRollup: "zk/ZkRollup.sol/ZkRollup.json",
  PaymentChannels: "channels/PaymentChannels.sol/PaymentChannels.json",
} as const;

export interface ExplorerOptions {
  /** The chain's JSON-RPC URL (http). */
  rpcUrl: string;
  /** 0: a free port. */
  port?: number;
  deployment?: Deployment;
  optimisticNode?: string;
  zkNode?: string;
  /** The watchtower's API. */
  watchtower?: string;
  /** Channel nodes' APIs by name (alice → http://127.0.0.1:N). */
  channelNodes?: Record<string, string>;
  /** The project root (artifacts/, node_modules/, src/). */
  root?: string;
  /** How long a proxied request may take before the page is told the far side is not answering. */
  upstreamTimeoutMs?: number;
}

export interface Explorer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

export class ExplorerSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExplorerSetupError";
  }
}

export async function startExplorer(options: ExplorerOptions): Promise<Explorer> {
  const root = options.root ?? process.cwd();
  const pageDir = join(root, "src", "explorer", "page");
  const chartsDir = join(root, "src", "bench", "charts");
  const timeoutMs = options.upstreamTimeoutMs ?? 5_000;

  const abis: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ABIS)) {
    const file = join(root, "artifacts", "contracts", path);
    if (!existsSync(file)) throw new ExplorerSetupError(`${file}: missing; run \`npx hardhat compile\` first`);
    abis[name] = JSON.parse(await readFile(file, "utf8")).abi;
  }
  const channelNodes = options.channelNodes ?? {};
  for (const name of Object.keys(channelNodes)) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(name))
      throw new ExplorerSetupError(`channel node name "${name}": not like alice`);
  }
  const config = JSON.stringify({
    deployment: options.deployment ?? null,
    nodes: {
      optimistic: options.optimisticNode ?? null,
      zk: options.zkNode ?? null,
      watchtower: options.watchtower ?? null,
      channels: channelNodes,
    },
    abis,
    faults: FAULTS,
  });
  const nodes: Record<string, string | undefined> = {
    optimistic: options.optimisticNode,
    zk: options.zkNode,
    watchtower: options.watchtower,
  };
  for (const [name, url] of Object.entries(channelNodes)) nodes[`channel/${name}`] = url;
  // debug_traceCall straight to the chain: the page may not call it (it is not in READ_METHODS), the server calls
  // it for one purpose, the proof verification's gas.
  const chain: TraceProvider = {
    async send(method, params) {
      const answer = await fetch(options.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await answer.json()) as { result?: unknown; error?: { message?: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
      return body.result;
    },
  };
  const verificationGasCache = new Map<string, string>();
  const transpiled = new Map<string, string>();

  async function chartModule(name: string): Promise<string | undefined> {
    if (!/^[A-Za-z]+$/.test(name)) return undefined;
    const cached = transpiled.get(name);
    if (cached !== undefined) return cached;
    const file = join(chartsDir, `${name}.ts`);
    if (!existsSync(file)) return undefined;
    // Lazy: typescript is large and only this route needs it.
    const ts = await import("typescript");
    const out = ts.transpileModule(await readFile(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020 },
    }).outputText;
    // The browser resolves only full paths: "./svg" → "./svg.js".
    const js = out.replace(/(from\s+["']\.\/[A-Za-z]+)(["'])/g, "$1.js$2");
    transpiled.set(name, js);
    return js;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    if (req.method === "POST" && path === "/rpc") return rpc(req, res);
    if (req.method !== "GET") return send(res, 405, "text/plain", `${req.method} ${path}: the explorer only reads`);
    if (path === "/config.json") return send(res, 200, "application/json", config);
    if (path === "/vendor/ethers.js") {
      return send(res, 200, TYPES[".js"], await readFile(join(root, "node_modules/ethers/dist/ethers.min.js")));
    }
    const chart = /^\/charts\/([A-Za-z]+)\.js$/.exec(path);
    if (chart) {
      const js = await chartModule(chart[1]);
      return js === undefined
        ? send(res, 404, "text/plain", `no chart module ${path}`)
        : send(res, 200, TYPES[".js"], js);
    }
    const node = /^\/node\/(optimistic|zk|watchtower|channel\/[a-z][a-z0-9-]{0,31})(\/.*)$/.exec(path);
    if (node) return proxyNode(res, node[1], node[2] + url.search);
    if (path === "/verification-gas") return verificationGas(res, url.searchParams);
    const file = path === "/" ? "index.html" : path.slice(1);
    const ext = /\.[a-z]+$/.exec(file)?.[0] ?? "";
    const full = resolve(pageDir, file);
    if (!full.startsWith(pageDir + "/") || !TYPES[ext] || !existsSync(full)) {
      return send(res, 404, "text/plain", `no page file ${path}`);
    }
    return send(res, 200, TYPES[ext], await readFile(full));
  }

  async function rpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, 64 * 1024);
    let calls: { method?: unknown; id?: unknown }[];
    try {
      const parsed = JSON.parse(body);
      calls = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return send(res, 400, "application/json", JSON.stringify({ error: "body is not JSON" }));
    }
    const refused = calls.find((c) => typeof c.method !== "string" || !READ_METHODS.has(c.method));
    if (refused) {
      const answer = {
        jsonrpc: "2.0",
        id: refused.id ?? null,
        error: { code: -32601, message: `${String(refused.method)}: the explorer only forwards read methods` },
      };
      return send(res, 403, "application/json", JSON.stringify(answer));
    }
    try {
      const answer = await fetch(options.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return send(res, answer.status, "application/json", await answer.text());
    } catch (error) {
      const message = `the chain at ${options.rpcUrl} is not answering (${(error as Error).message})`;
      return send(res, 502, "application/json", JSON.stringify({ unreachable: "chain", error: message }));
    }
  }

  /**
   * The execution gas of one verifier call, run alone with debug_traceCall at a given block (the page sends the
   * batch's own proof and public input, and the batch's parent block); cached, since a past block is fixed.
   */
  async function verificationGas(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const to = query.get("to") ?? "";
    const data = query.get("data") ?? "";
    const block = query.get("block") ?? "";
    const problem = !/^0x[0-9a-fA-F]{40}$/.test(to)
      ? `to=${to}: expected the verifier contract's 0x address`
      : !/^0x([0-9a-fA-F]{2}){4,4096}$/.test(data)
        ? "data: expected the call's calldata, 0x and 4 to 4,096 bytes"
        : !/^\d{1,12}$/.test(block)
          ? `block=${block}: expected a block number`
          : undefined;
    if (problem) return send(res, 400, "application/json", JSON.stringify({ error: problem }));
    const key = `${to}:${data}:${block}`.toLowerCase();
    let gas = verificationGasCache.get(key);
    if (gas === undefined) {
      try {
        const blockTag = "0x" + Number(block).toString(16);
        gas = (await traceCallExecution(chain, { to, data }, blockTag)).execution.toString();
      } catch (error) {
        const message = `tracing a call to ${to} at block ${block} on ${options.rpcUrl}: ${(error as Error).message}`;
        return send(res, 502, "application/json", JSON.stringify({ error: message }));
      }
      if (verificationGasCache.size >= 1_000) verificationGasCache.clear();
      verificationGasCache.set(key, gas);
    }
    return send(res, 200, "application/json", JSON.stringify({ to, block: Number(block), gas }));
  }

  async function proxyNode(res: ServerResponse, system: string, path: string): Promise<void> {
    const base = nodes[system];
    if (!base) {
      const flag = system.startsWith("channel/")
        ? `--channel-node ${system.slice(8)}=URL`
        : system === "watchtower"
          ? "--watchtower URL"
          : `--${system}-node URL`;
      const message = `no ${system} node given (start the explorer with ${flag})`;
      return send(res, 404, "application/json", JSON.stringify({ unconfigured: system, error: message }));
    }
    try {
      const answer = await fetch(base.replace(/\/$/, "") + path, { signal: AbortSignal.timeout(timeoutMs) });
      return send(res, answer.status, "application/json", await answer.text());
    } catch (error) {
      const what = system.startsWith("channel/")
        ? `channel node ${system.slice(8)}`
        : system === "watchtower"
          ? "watchtower"
          : `${system} node`;
      const message = `the ${what} at ${base} is not answering (${(error as Error).message})`;
      return send(res, 502, "application/json", JSON.stringify({ unreachable: system, error: message }));
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, "text/plain", error.message));
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  // Transpile the chart modules now, so the first page load does not wait for the TypeScript compiler to load.
  void Promise.all(["svg", "barChart", "lineChart"].map(chartModule)).catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new Error(`request body over ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}
