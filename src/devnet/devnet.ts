/**
 * `npx hardhat devnet`: the chain, every system deployed through Ignition, and every long-running
 * process, supervised until Ctrl-C or SIGTERM.
 *
 * Two layers, so the same code path serves a chain the devnet starts and a chain someone else runs:
 *
 *   npx hardhat devnet                      npx hardhat devnet --network localhost|remote
 *   ├── hardhat node (free loopback port)   ├── deploys (Ignition), writes the deployment record
 *   └── npx hardhat devnet --network        ├── optimistic-node, watch, zk-node, watchtower,
 *       localhost (L2LAB_LOCALHOST_URL)     │   channel-node alice|bob|carol (each a child task)
 *       └── (the right-hand column)         ├── explorer, given every URL above (unless --no-explorer)
 *                                           └── prints the table and one ready line
 *
 * Each layer stops what it started, in reverse order, before it exits: the processes, then the chain.
 */
import { mkdirSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployDevnet, parseSystems, type SystemName } from "./deploy";
import { deploymentPath, writeDeployment, type Deployment } from "./deployment";
import { DEVNET_PROCESSES, HARDHAT_CLI, Supervisor, freePort, waitForRpc, type ProcessSpec } from "./processes";
import { announceReady } from "./ready";
import { BlobArchive, httpUpstream, serveArchive } from "../optimistic/blob-archive";
import { loadKzg } from "../encoding/kzg";
import { spawn } from "node:child_process";

export interface DevnetArgs {
  only?: string;
  deployment?: string;
  reset?: boolean;
  /** Leave the explorer out. */
  noExplorer?: boolean;
  /** How the optimistic node posts batches: "calldata" (default) or "blob" (through the blob archive). */
  posting?: string;
  /** The optimistic rollup's transfers: "ecdsa" (default) or "bls" (BlsOptimisticRollup). */
  signatures?: string;
}

/** `--posting`, checked: the error names the option and the value. */
export function parsePosting(value: string | undefined): "calldata" | "blob" {
  if (value === undefined || value === "calldata" || value === "blob") return value ?? "calldata";
  throw new Error(`devnet --posting: "${value}" is neither "calldata" nor "blob"`);
}

/** `--signatures`, checked: the error names the option and the value. */
export function parseSignatures(value: string | undefined): "ecdsa" | "bls" {
  if (value === undefined || value === "ecdsa" || value === "bls") return value ?? "ecdsa";
  throw new Error(`devnet --signatures: "${value}" is neither "ecdsa" nor "bls"`);
}

const say = (line: string) => process.stderr.write(`devnet: ${line}\n`);

/**
 * Resolves with the first SIGINT or SIGTERM from now on. Listening starts at once, so a signal during
 * start-up stops what was started so far instead of killing this process and orphaning its children.
 */
function untilSignal(): Promise<string> {
  // Signal listeners do not keep Node running; this timer does, until a signal comes.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  return new Promise<string>((resolve) => {
    const on = (signal: string) => () => resolve(signal);
    process.once("SIGINT", on("SIGINT"));
    process.once("SIGTERM", on("SIGTERM"));
  }).finally(() => clearInterval(keepAlive));
}

/** Runs `startup` unless a signal comes first; on a signal, stops everything and exits. */
async function unlessSignalled<T>(signal: Promise<string>, supervisor: Supervisor, startup: Promise<T>): Promise<T> {
  const first = await Promise.race([startup, signal.then((name) => ({ signalled: name }))]);
  if (typeof first === "object" && first !== null && "signalled" in first) {
    say(`${String(first.signalled)} during start-up: stopping what was started`);
    await supervisor.stop();
    process.exit(130);
  }
  return first as T;
}

export async function runDevnet(hre: HardhatRuntimeEnvironment, args: DevnetArgs): Promise<void> {
  const systems = parseSystems(args.only);
  parsePosting(args.posting);
  parseSignatures(args.signatures);
  if (hre.network.name === "hardhat") await runWithOwnChain(hre, args);
  else await runOnNetwork(hre, args, systems);
}

/** Starts a `hardhat node` on a free loopback port, then the devnet against it as a child. */
async function runWithOwnChain(hre: HardhatRuntimeEnvironment, args: DevnetArgs): Promise<void> {
  const supervisor = new Supervisor();
  const started = Date.now();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logDir = join(hre.config.paths.root, ".devnet");
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `hardhat-node-${port}.log`);
  const log = openSync(logPath, "w");

  // Its own process group: Ctrl-C reaches the devnet, which stops the chain last, after every
  // process that talks to it.
  const chain = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: hre.config.paths.root,
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);
  say(`started a hardhat node at ${url} (pid ${chain.pid}, its log: ${logPath})`);
  supervisor.adopt("chain", chain);
  const signal = untilSignal();
  let inner;
  try {
    await unlessSignalled(signal, supervisor, waitForRpc(url, chain));
    const innerArgs = [HARDHAT_CLI, "devnet", "--network", "localhost"];
    if (args.only) innerArgs.push("--only", args.only);
    if (args.deployment) innerArgs.push("--deployment", args.deployment);
    if (args.noExplorer) innerArgs.push("--no-explorer");
    if (args.posting) innerArgs.push("--posting", args.posting);
    if (args.signatures) innerArgs.push("--signatures", args.signatures);
    inner = await unlessSignalled(
      signal,
      supervisor,
      supervisor.start("devnet", process.execPath, innerArgs, {
        cwd: hre.config.paths.root,
        env: { ...process.env, L2LAB_LOCALHOST_URL: url },
        prefix: false,
        readyTimeoutMs: 30 * 60_000,
      }),
    );
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  const innerPids = (inner.ready.pids ?? {}) as Record<string, number>;
  announceReady({
    ...inner.ready,
    pids: { ...innerPids, ...supervisor.pids(), top: process.pid },
    startupSeconds: Math.round((Date.now() - started) / 100) / 10,
  });
  const child = inner.child;
  const exited = new Promise<string>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve("exit") : child.once("exit", () => resolve("exit")),
  );
  const why = await Promise.race([signal, exited]);
  say(why === "exit" ? "the devnet process exited; stopping the chain" : `${why}: stopping everything`);
  await supervisor.stop();
  process.exit(why === "exit" ? 1 : 0);
}

/** Deploys on the task's network, starts every process there and serves until stopped. */
async function runOnNetwork(hre: HardhatRuntimeEnvironment, args: DevnetArgs, systems: SystemName[]): Promise<void> {
  const started = Date.now();
  const supervisor = new Supervisor();
  const signal = untilSignal();
  const url = (hre.network.config as { url?: string }).url ?? hre.network.name;
  say(`network "${hre.network.name}" at ${url}; systems: ${systems.join(", ")}`);
  // KZG (for the blob archive) loads before the first RPC request: loading blocks for seconds, long enough for the
  // node to close a kept-alive connection under a request being sent.
  const kzg = systems.includes("optimistic") ? await loadKzg() : undefined;
  const { record } = await unlessSignalled(
    signal,
    supervisor,
    (async () => {
      await hre.ethers.provider.getNetwork(); // an unreachable chain says so before anything else runs
      await hre.run("compile", { quiet: true });
      return deployDevnet(hre, {
        systems,
        reset: args.reset,
        onProgress: say,
        signatures: parseSignatures(args.signatures),
      });
    })(),
  );
  // The blob archive in front of the chain (src/optimistic/blob-archive.ts): the public endpoint, which stores every
  // blob it forwards; the optimistic node posts blob batches through it and the watcher reads blobs from it.
  let archive: { url: string; close: () => Promise<void> } | undefined;
  if (record.optimistic) {
    const posting = parsePosting(args.posting);
    const served = await unlessSignalled(
      signal,
      supervisor,
      serveArchive(new BlobArchive(kzg ?? (await loadKzg()), httpUpstream(url)), 0),
    );
    archive = { url: served.url, close: () => new Promise<void>((resolve) => served.server.close(() => resolve())) };
    record.optimistic = { ...record.optimistic, posting, archive: served.url };
    say(`blob archive at ${served.url} in front of ${url}; the optimistic node posts in ${posting}`);
  }
  const path = writeDeployment(record, args.deployment ?? deploymentPath(record.chainId));
  say(`deployment record written to ${path}`);

  const wanted = DEVNET_PROCESSES.filter((p) => systems.includes(p.system));
  const available = wanted.filter((p) => hre.tasks[p.task] !== undefined);
  const skipped = wanted.filter((p) => hre.tasks[p.task] === undefined);
  for (const p of skipped) say(`skipped ${p.name}: this checkout has no \`${p.task}\` task`);

  const stopAll = async () => {
    await supervisor.stop();
    await archive?.close();
  };
  let ready: { spec: ProcessSpec; url?: string }[];
  try {
    ready = await unlessSignalled(
      signal,
      supervisor,
      Promise.all(
        available.map(async (spec) => {
          const commandLine = [
            HARDHAT_CLI,
            spec.task,
            "--network",
            hre.network.name,
            "--deployment",
            path,
            ...spec.args,
          ];
          say(`starting ${spec.name}: npx hardhat ${commandLine.slice(1).join(" ")}`);
          const { ready } = await supervisor.start(spec.name, process.execPath, commandLine, {
            cwd: hre.config.paths.root,
          });
          return { spec, url: ready.url };
        }),
      ),
    );
  } catch (error) {
    say(`a process did not come up; stopping everything: ${(error as Error).message}`);
    await stopAll();
    process.exitCode = 1;
    throw error;
  }

  let explorer: string | undefined;
  if (!args.noExplorer) {
    try {
      explorer = await unlessSignalled(signal, supervisor, startExplorer(hre, supervisor, path, ready));
    } catch (error) {
      say(`the explorer did not come up; stopping everything: ${(error as Error).message}`);
      await stopAll();
      process.exitCode = 1;
      throw error;
    }
  }

  const startupSeconds = Math.round((Date.now() - started) / 100) / 10;
  process.stdout.write(table(url, path, record, ready, skipped, explorer) + "\n");
  announceReady({
    ready: "devnet",
    // The public endpoint: the blob archive when it runs (it forwards every other method to the chain).
    url: archive?.url ?? url,
    chain: url,
    chainId: record.chainId,
    deployment: path,
    processes: Object.fromEntries(ready.map((r) => [r.spec.name, r.url ?? null])),
    skipped: skipped.map((p) => p.name),
    explorer: explorer ?? null,
    pids: { devnet: process.pid, ...supervisor.pids() },
    startupSeconds,
  });
  if (explorer) say(`explorer: open ${explorer} in a browser`);
  say(`up in ${startupSeconds} s; Ctrl-C stops everything it started`);
  const why = await signal;
  say(`${why}: stopping ${available.map((p) => p.name).join(", ") || "nothing (no processes were started)"}`);
  await stopAll();
  process.exit(0);
}

/**
 * Starts `npx hardhat explorer` against the devnet's chain and record, given the URL of every process that serves
 * one (the L2 nodes, the watchtower, the channel nodes); resolves with the page's URL.
 */
async function startExplorer(
  hre: HardhatRuntimeEnvironment,
  supervisor: Supervisor,
  recordPath: string,
  ready: readonly { spec: ProcessSpec; url?: string }[],
): Promise<string> {
  const urlOf = (task: string) => ready.find((r) => r.spec.task === task && r.url)?.url;
  const commandLine = [HARDHAT_CLI, "explorer", "--network", hre.network.name, "--deployment", recordPath];
  const optimistic = urlOf("optimistic-node");
  const zk = urlOf("zk-node");
  const tower = urlOf("watchtower");
  const channelNodes = ready
    .filter((r) => r.spec.task === "channel-node" && r.url)
    .map((r) => `${r.spec.name}=${r.url}`);
  if (optimistic) commandLine.push("--optimistic-node", optimistic);
  if (zk) commandLine.push("--zk-node", zk);
  if (tower) commandLine.push("--watchtower", tower);
  if (channelNodes.length > 0) commandLine.push("--channel-node", channelNodes.join(","));
  say(`starting explorer: npx hardhat ${commandLine.slice(1).join(" ")}`);
  const started = await supervisor.start("explorer", process.execPath, commandLine, { cwd: hre.config.paths.root });
  if (typeof started.ready.url !== "string") throw new Error("the explorer's ready line has no url");
  return started.ready.url;
}

/** Every endpoint and contract address, in one table for people. */
export function table(
  chainUrl: string,
  recordPath: string,
  record: Deployment,
  processes: readonly { spec: ProcessSpec; url?: string }[],
  skipped: readonly ProcessSpec[],
  explorer?: string,
): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Table = require("cli-table3") as typeof import("cli-table3");
  const t = new Table({
    head: ["what", "where"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  const archive = record.optimistic?.archive;
  if (archive) {
    t.push([
      "L1 JSON-RPC (public)",
      `${archive} (chain id ${record.chainId}; the blob archive, in front of the chain)`,
    ]);
    t.push(["  chain behind it", chainUrl]);
  } else t.push(["L1 JSON-RPC", `${chainUrl} (chain id ${record.chainId})`]);
  for (const p of processes) t.push([`${p.spec.name} (${p.spec.task})`, p.url ?? "(no URL)"]);
  for (const p of skipped) t.push([`${p.name} (${p.task})`, "skipped: no such task in this checkout"]);
  if (explorer) t.push(["explorer (open in a browser)", explorer]);
  if (record.optimistic)
    t.push([
      record.optimistic.signatures === "bls" ? "BlsOptimisticRollup" : "OptimisticRollup",
      `${record.optimistic.rollup} (posts in ${record.optimistic.posting ?? "calldata"})`,
    ]);
  if (record.zk) {
    t.push(["ZkRollup", record.zk.rollup]);
    t.push(["  verifier", record.zk.verifier]);
    t.push(["  Poseidon(2)", record.zk.poseidon2]);
    t.push(["  Poseidon(4)", record.zk.poseidon4]);
  }
  if (record.channels) t.push(["PaymentChannels", record.channels.contract]);
  t.push(["deployment record", `${recordPath} (from block ${record.fromBlock})`]);
  return t.toString();
}
