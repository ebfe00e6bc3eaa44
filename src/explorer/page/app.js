// The explorer page: reads the chain through the server's read-only /rpc and the L2 nodes through /node, decodes
// events with the contracts' ABIs (/config.json), and redraws the view named in the URL hash on every new block.
// What each view shows and where each number comes from: docs/explorer.md.
import { Interface, formatEther, getAddress } from "/vendor/ethers.js";
import { barChart } from "/charts/barChart.js";
import { lineChart } from "/charts/lineChart.js";

const POLL_MS = 500;
const VIEWS = ["optimistic", "zk", "channels", "gas"];
const SYSTEM_OF_ABI = { OptimisticRollup: "optimistic", ZkRollup: "zk", PaymentChannels: "channels" };

const config = await (await fetch("/config.json")).json();
// Names of IOptimisticRollup.Fault, in the enum's order, as src/optimistic/state.ts has them (served in /config.json).
const FAULTS = config.faults;
const interfaces = Object.fromEntries(Object.entries(config.abis).map(([name, abi]) => [name, new Interface(abi)]));
// topic0 → the ABIs that declare that event (a shared library's events appear in both rollups).
const byTopic = new Map();
for (const [name, iface] of Object.entries(interfaces)) {
  iface.forEachEvent((event) => {
    if (!byTopic.has(event.topicHash)) byTopic.set(event.topicHash, []);
    byTopic.get(event.topicHash).push(name);
  });
}
// Addresses the deployment record names, so a contract is known before it emits anything.
const known = new Map();
const d = config.deployment;
if (d?.optimistic) known.set(getAddress(d.optimistic.rollup), "OptimisticRollup");
if (d?.zk) known.set(getAddress(d.zk.rollup), "ZkRollup");
if (d?.channels) known.set(getAddress(d.channels.contract), "PaymentChannels");

const state = {
  chain: "unknown", // "up" | "down"
  chainError: "",
  chainId: null,
  head: -1,
  scanned: (d?.fromBlock ?? 0) - 1,
  timestamp: 0,
  logs: [],
  blockTimes: new Map(),
  receipts: new Map(),
  txs: new Map(),
  refused: [], // transactions to a known contract that reverted: { address, tx, from, call, block, gas }
  calls: new Map(), // address → { name: value } of view calls at the head
  nodes: { optimistic: { state: "unknown" }, zk: { state: "unknown" } },
  // The watchtower's and the channel nodes' GET /events, by node name ("watchtower", "channel/alice", …).
  offChain: new Map(),
  proofGas: new Map(), // batch transaction hash → gas spent in the verifier call (from the server's trace)
  banners: [],
  updatedAt: 0,
};
window.explorer = state;

async function rpc(method, params = []) {
  let response;
  try {
    response = await fetch("/rpc", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
  } catch (error) {
    throw new ChainDown(`the explorer's server is not answering (${error.message})`);
  }
  const body = await response.json();
  if (body.unreachable) throw new ChainDown(body.error);
  if (body.error) throw new RpcError(method, body.error);
  return body.result;
}

// A JSON-RPC error answer; `data` is the revert data of a reverted eth_call (the node puts it in `data` or, as
// Hardhat does, in `data.data`).
class RpcError extends Error {
  constructor(method, error) {
    super(`${method}: ${error.message ?? JSON.stringify(error)}`);
    const data = typeof error.data === "string" ? error.data : error.data?.data;
    this.data = typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data) ? data : undefined;
  }
}

class ChainDown extends Error {}

function banner(kind, text) {
  state.banners.push({ kind, text, at: Date.now() });
  state.banners = state.banners.filter((b) => b.kind === "down" || Date.now() - b.at < 15_000);
}

function setChain(next, error = "") {
  if (next === "down" && state.chain !== "down") {
    state.banners = state.banners.filter((b) => !b.text.startsWith("chain"));
    banner("down", `chain not running: ${error}. Start it with \`npx hardhat node\` (or \`npm run devnet\`).`);
  }
  if (next === "up" && state.chain === "down") {
    state.banners = state.banners.filter((b) => b.kind !== "down" || !b.text.startsWith("chain"));
    banner("back", "chain is back: reading from the last block seen.");
  }
  state.chain = next;
  state.chainError = error;
}

async function readNode(system) {
  const url = config.nodes[system];
  const node = state.nodes[system];
  if (!url) return void (node.state = "unconfigured");
  const was = node.state;
  try {
    const [status, batches] = await Promise.all(
      ["/status", "/batches"].map(async (path) => {
        const response = await fetch(`/node/${system}${path}`);
        const body = await response.json();
        if (!response.ok) throw new Error(body.error ?? `${response.status}`);
        return body;
      }),
    );
    Object.assign(node, { state: "up", status, batches, error: "" });
    if (was === "down") {
      state.banners = state.banners.filter((b) => !b.text.startsWith(`${system} node`));
      banner("back", `${system} node is back at ${url}.`);
    }
  } catch (error) {
    Object.assign(node, { state: "down", error: error.message });
    if (was !== "down") banner("down", `${system} node not running at ${url}: ${error.message}`);
  }
}

// The watchtower and the channel nodes, each read through GET /node/<name>/events; down and back like the L2 nodes.
const OFF_CHAIN = [
  ...(config.nodes.watchtower ? [["watchtower", config.nodes.watchtower]] : []),
  ...Object.entries(config.nodes.channels ?? {}).map(([name, url]) => [`channel/${name}`, url]),
];

async function readOffChain() {
  await Promise.all(
    OFF_CHAIN.map(async ([name, url]) => {
      const node = state.offChain.get(name) ?? { state: "unknown" };
      state.offChain.set(name, node);
      const was = node.state;
      const label = name.replace(/^channel\//, "channel node ");
      try {
        const response = await fetch(`/node/${name}/events`);
        const body = await response.json();
        if (!response.ok) throw new Error(body.error?.message ?? body.error ?? `${response.status}`);
        Object.assign(node, { state: "up", events: body, error: "" });
        if (was === "down") {
          state.banners = state.banners.filter((b) => !b.text.startsWith(label));
          banner("back", `${label} is back at ${url}.`);
        }
      } catch (error) {
        Object.assign(node, { state: "down", error: error.message });
        if (was !== "down") banner("down", `${label} not running at ${url}: ${error.message}`);
      }
    }),
  );
}

// A zk batch's proof verification gas: the verifier called alone with the batch's own proof (a, b, c from the
// batch's calldata) and public input ([commitment, domain]) at the batch's parent block, traced by the server
// (debug_traceCall): the execution the benchmark measures for "proof verification". Asked once per batch; a
// failure is shown and asked again at the next block.
const verifierInterface = new Interface([
  "function verifyProof(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[2] input) view returns (bool)",
]);

async function readProofGas() {
  for (const l of state.logs) {
    if (l.name !== "BatchProven" || state.proofGas.get(l.tx)?.gas !== undefined) continue;
    const { VERIFIER: verifier, domain } = state.calls.get(l.address) ?? {};
    const tx = state.txs.get(l.tx);
    if (!verifier || domain === undefined || !tx) continue;
    try {
      const { a, b, c } = interfaces.ZkRollup.parseTransaction({ data: tx.input }).args;
      const data = verifierInterface.encodeFunctionData("verifyProof", [a, b, c, [l.args.commitment, domain]]);
      const query = new URLSearchParams({ to: verifier, data, block: String(l.block - 1) });
      const response = await fetch(`/verification-gas?${query}`);
      const body = await response.json();
      if (!response.ok) throw new Error(body.error ?? `${response.status}`);
      state.proofGas.set(l.tx, { gas: BigInt(body.gas) });
    } catch (error) {
      state.proofGas.set(l.tx, { error: error.message });
    }
  }
}

// A trace of a batch's transaction takes seconds (longer on a busy machine): the page keeps reading blocks
// meanwhile, asks for one batch's trace at a time, and redraws when the figure arrives.
let proofGasRunning = false;
function readProofGasInBackground() {
  if (proofGasRunning) return;
  proofGasRunning = true;
  readProofGas().finally(() => {
    proofGasRunning = false;
    render();
  });
}

function systemOf(address) {
  return known.get(address);
}

function decode(log) {
  const address = getAddress(log.address);
  const names = byTopic.get(log.topics[0]) ?? [];
  // An address is classified by the first event only one ABI declares (BatchSubmitted, BatchProven, ChannelOpened…).
  if (!known.has(address) && names.length === 1) known.set(address, names[0]);
  return { address, names, log };
}

async function scan() {
  const head = Number(await rpc("eth_blockNumber"));
  if (state.chainId === null) state.chainId = Number(await rpc("eth_chainId"));
  if (head < state.scanned) {
    // The chain went back (a restarted node, an evm_revert): read it again from the start.
    banner("back", `chain went back to block ${head}: reading it again.`);
    Object.assign(state, { scanned: (d?.fromBlock ?? 0) - 1, logs: [], refused: [] });
    state.receipts.clear();
    state.txs.clear();
  }
  if (head === state.head && state.scanned >= head) return false;
  const from = state.scanned + 1;
  const fresh = [];
  if (from <= head) {
    const raw = await rpc("eth_getLogs", [
      { fromBlock: "0x" + from.toString(16), toBlock: "0x" + head.toString(16), topics: [[...byTopic.keys()]] },
    ]);
    for (const log of raw) fresh.push(decode(log));
  }
  for (const item of fresh) {
    const abi = systemOf(item.address);
    if (!abi || !item.names.includes(abi)) continue;
    const parsed = interfaces[abi].parseLog(item.log);
    state.logs.push({
      address: item.address,
      system: SYSTEM_OF_ABI[abi],
      name: parsed.name,
      args: parsed.args,
      block: Number(item.log.blockNumber),
      tx: item.log.transactionHash,
      index: Number(item.log.logIndex),
    });
  }
  const hashes = [...new Set(fresh.map((f) => f.log.transactionHash))].filter((h) => !state.receipts.has(h));
  await Promise.all(
    hashes.map(async (hash) => {
      const [receipt, tx] = await Promise.all([
        rpc("eth_getTransactionReceipt", [hash]),
        rpc("eth_getTransactionByHash", [hash]),
      ]);
      state.receipts.set(hash, receipt);
      state.txs.set(hash, tx);
    }),
  );
  await findRefused(Math.max(from, head - REFUSED_SCAN_BLOCKS + 1), head);
  const blocks = [...new Set(fresh.map((f) => Number(f.log.blockNumber))), head];
  await Promise.all(
    blocks
      .filter((n) => !state.blockTimes.has(n))
      .map(async (n) => {
        const block = await rpc("eth_getBlockByNumber", ["0x" + n.toString(16), false]);
        state.blockTimes.set(n, Number(block.timestamp));
      }),
  );
  state.head = head;
  state.scanned = head;
  state.timestamp = state.blockTimes.get(head);
  await readViews();
  readProofGasInBackground();
  return true;
}

// A reverted transaction emits no event, so refused calls are found by reading the blocks' transactions: those
// sent to a known contract whose receipt has status 0. Only the newest blocks of each update are read this way.
const REFUSED_SCAN_BLOCKS = 64;

async function findRefused(from, to) {
  for (let n = from; n <= to; n++) {
    const block = await rpc("eth_getBlockByNumber", ["0x" + n.toString(16), true]);
    state.blockTimes.set(n, Number(block.timestamp));
    for (const tx of block.transactions) {
      const address = tx.to ? getAddress(tx.to) : undefined;
      if (!address || !known.has(address)) continue;
      const receipt = await rpc("eth_getTransactionReceipt", [tx.hash]);
      if (Number(receipt.status) !== 0) continue;
      let call = tx.input.slice(0, 10);
      try {
        call = interfaces[known.get(address)].parseTransaction({ data: tx.input, value: tx.value }).name;
      } catch {
        // Not a function of the ABI (raw calldata): the selector stays.
      }
      state.refused.push({
        address,
        tx: tx.hash,
        from: getAddress(tx.from),
        call,
        block: n,
        gas: BigInt(receipt.gasUsed),
        reason: await refusalReason(tx, n),
      });
    }
  }
}

// Why a call reverted: a receipt does not say, so the call is run again with eth_call at the parent block (the
// same from, to, data, value and gas) and its revert data decoded with the errors of the three ABIs. The state it
// runs on is the one before the block: a transaction earlier in the same block is not seen (with automining each
// block holds one transaction, and then it is exact).
async function refusalReason(tx, block) {
  const call = { from: tx.from, to: tx.to, data: tx.input, value: tx.value, gas: tx.gas };
  try {
    await rpc("eth_call", [call, "0x" + (block - 1).toString(16)]);
    return { text: "the re-run at the parent block did not revert (an earlier transaction in its block mattered)" };
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    if (error.data === undefined || error.data === "0x")
      return { text: `no revert data (${error.message.replace(/^eth_call: /, "")})` };
    for (const iface of Object.values(interfaces)) {
      let parsed = null;
      try {
        parsed = iface.parseError(error.data);
      } catch {
        continue;
      }
      if (!parsed) continue;
      const args = parsed.fragment.inputs.map((input, i) => `${input.name || i}: ${parsed.args[i]}`);
      return { name: parsed.name, text: `${parsed.name}(${args.join(", ")})` };
    }
    return { text: `unknown error ${error.data.slice(0, 10)}` };
  }
}

// View calls at the head: the bond, the windows and the freeze flags of every rollup the page has found.
const VIEW_CALLS = {
  OptimisticRollup: ["OPERATOR", "BOND", "bonded", "frozen", "CHALLENGE_PERIOD", "DEPOSIT_DEADLINE", "tipId"],
  ZkRollup: ["VERIFIER", "domain"],
  PaymentChannels: [],
};

async function readViews() {
  for (const [address, abi] of known) {
    const iface = interfaces[abi];
    const values = {};
    for (const name of VIEW_CALLS[abi]) {
      const data = iface.encodeFunctionData(name, []);
      try {
        const out = await rpc("eth_call", [{ to: address, data }, "latest"]);
        values[name] = iface.decodeFunctionResult(name, out)[0];
      } catch {
        values[name] = undefined;
      }
    }
    values.balance = BigInt(await rpc("eth_getBalance", [address, "latest"]));
    state.calls.set(address, values);
  }
}

// ---------- rendering ----------

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const short = (hex) => (hex ? `${String(hex).slice(0, 8)}…${String(hex).slice(-4)}` : "");
const eth = (wei) => `${formatEther(wei)} ETH`;
const num = (n) => Number(n).toLocaleString("en-US");

function table(id, headers, rows, empty) {
  if (rows.length === 0) return `<p class="muted" data-testid="${id}-empty">${esc(empty)}</p>`;
  return `<table data-testid="${id}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c) => (typeof c === "object" && c !== null ? `<td class="${c.cls ?? ""}">${c.html}</td>` : `<td>${esc(c)}</td>`)).join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
}

function logsOf(address, ...names) {
  return state.logs.filter((l) => l.address === address && names.includes(l.name));
}

function contracts(system) {
  return [...known].filter(([, abi]) => SYSTEM_OF_ABI[abi] === system).map(([address]) => address);
}

function countdown(seconds) {
  if (seconds <= 0) return "due";
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

function nodeLine(system) {
  const node = state.nodes[system];
  if (node.state === "unconfigured")
    return `<p class="muted">no ${system} node given (start the explorer with --${system}-node URL)</p>`;
  if (node.state === "down")
    return `<p class="status-rolled-back" data-testid="${system}-node">${system} node not running: ${esc(node.error)}</p>`;
  if (node.state !== "up") return "";
  const s = node.status;
  return `<p data-testid="${system}-node">${system} node: ${esc(config.nodes[system])} · ${num(s.accepted ?? 0)} L2 txs accepted, ${num(s.refused ?? 0)} refused, ${num(s.pendingTxs ?? 0)} pending</p>`;
}

// Reverted calls to one contract, with the custom error a re-run at the parent block gives.
function refusedTable(address) {
  const rows = state.refused
    .filter((r) => r.address === address)
    .map((r) => [
      r.call,
      { cls: "reason", html: esc(r.reason?.text ?? "") },
      r.from,
      String(r.block),
      num(r.gas),
      { html: `<code>${short(r.tx)}</code>` },
    ]);
  return [
    "<h3>Refused on L1 (reverted calls)</h3>",
    `<p class="muted">The reason is not in the receipt: it comes from re-running the same call with eth_call at the parent block and decoding its revert data with the contracts' custom errors.</p>`,
    table(
      "refused",
      ["call", "reason (re-run at the parent block)", "from", "block", "gas spent", "L1 tx"],
      rows.reverse(),
      "no call refused in the blocks read",
    ),
  ].join("\n");
}

function viewOptimistic() {
  const out = [nodeLine("optimistic")];
  const rollups = contracts("optimistic");
  if (rollups.length === 0)
    out.push(`<p class="muted" data-testid="optimistic-none">no optimistic rollup found on this chain yet</p>`);
  for (const address of rollups) {
    const calls = state.calls.get(address) ?? {};
    const slashed = logsOf(address, "OperatorSlashed");
    out.push(`<section data-testid="rollup-${address}"><h2>Optimistic rollup ${esc(address)}</h2>`);
    out.push(
      `<p data-testid="bond">operator ${esc(calls.OPERATOR ?? "?")} · bond ${calls.BOND !== undefined ? eth(calls.BOND) : "?"} · ${calls.bonded ? "bonded" : "not bonded"}${slashed.length ? ` · slashed ${slashed.length}×` : ""}${calls.frozen ? " · FROZEN" : ""} · contract holds ${calls.balance !== undefined ? eth(calls.balance) : "?"}</p>`,
    );
    const rolled = logsOf(address, "BatchRolledBack");
    const nodeBatches =
      state.nodes.optimistic.state === "up" && state.nodes.optimistic.status?.rollup === address
        ? state.nodes.optimistic.batches
        : [];
    // Batch 0 is the genesis (the constructor's BatchSubmitted); each event carries the batch's record.
    const posted = logsOf(address, "BatchSubmitted").filter((l) => BigInt(l.args.batchId) !== 0n);
    const batches = posted.map((l) => {
      const id = l.args.batchId;
      const record = l.args.batch;
      const back = rolled.find((r) => r.args.batchId <= id && id <= r.args.lastBatchId && r.block >= l.block);
      const finalAt = Number(record.finalAt);
      let status;
      if (back) status = { cls: "status-rolled-back", html: `rolled back (fraud in batch ${back.args.cause})` };
      else if (finalAt <= state.timestamp) status = { cls: "status-final", html: "final" };
      else status = { cls: "status-pending", html: `pending: final in ${countdown(finalAt - state.timestamp)}` };
      const txs = nodeBatches.find((b) => b.l1Tx === l.tx)?.txs;
      return [
        String(id),
        status,
        short(record.stateRoot),
        String(record.chunkCount),
        txs === undefined ? "" : String(txs),
        String(record.depositEnd),
        { html: `<code>${short(l.tx)}</code>` },
      ];
    });
    out.push(
      "<h3>Batches</h3>",
      table(
        "batches",
        ["batch", "status", "state root", "chunks", "L2 txs (node)", "deposits to", "L1 tx"],
        batches.reverse(),
        "no batch posted yet",
      ),
    );
    const proofs = logsOf(address, "FraudProven").map((l) => {
      const paid = slashed.find((s) => s.tx === l.tx);
      return [
        String(l.args.batchId),
        `${FAULTS[Number(l.args.fault)] ?? l.args.fault}`,
        `chunk ${l.args.chunkIndex}, tx ${l.args.txIndex}`,
        l.args.challenger,
        paid ? `${paid.args.beneficiary} paid ${eth(paid.args.reward)}, ${eth(paid.args.burnt)} burnt` : "",
        String(l.block),
      ];
    });
    out.push(
      "<h3>Challenges</h3>",
      table(
        "challenges",
        ["batch", "fault proven", "where", "challenger", "paid", "block"],
        proofs.reverse(),
        "no fraud proven",
      ),
    );
    const commits = logsOf(address, "FraudProofCommitted").map((l) => [
      l.args.challenger,
      short(l.args.commitment),
      String(l.block),
    ]);
    if (commits.length) out.push(table("commitments", ["challenger committed", "commitment", "block"], commits, ""));
    const deadline = calls.DEPOSIT_DEADLINE !== undefined ? Number(calls.DEPOSIT_DEADLINE) : undefined;
    let consumed = 0n;
    for (const l of logsOf(address, "DepositsConsumed", "DepositsRewound"))
      consumed = l.name === "DepositsConsumed" ? l.args.toIndex : l.args.toCount;
    const refunded = new Set(logsOf(address, "DepositRefunded").map((l) => l.args.index));
    const deposits = logsOf(address, "DepositQueued").map((l) => {
      const due = deadline === undefined ? undefined : state.blockTimes.get(l.block) + deadline;
      const where = refunded.has(l.args.index)
        ? "refunded"
        : l.args.index < consumed
          ? "in L2"
          : `queued${due === undefined ? "" : `, batch due in ${countdown(due - state.timestamp)}`}`;
      return [String(l.args.index), l.args.sender, eth(l.args.amount), where];
    });
    out.push(
      "<h3>Deposit queue</h3>",
      table("deposits", ["deposit", "sender", "amount", "where"], deposits.reverse(), "no deposit"),
    );
    const forced = logsOf(address, "ForcedWithdrawalRequested").map((l) => [
      String(l.args.requestIndex),
      String(l.args.account),
      l.args.recipient,
      eth(l.args.amount),
      countdown(Number(l.args.deadline) - state.timestamp),
    ]);
    out.push(
      "<h3>Forced withdrawals</h3>",
      table("forced", ["request", "account", "recipient", "amount", "deadline"], forced.reverse(), "no forced request"),
    );
    out.push(refusedTable(address));
    const exits = logsOf(address, "ExitClaimed", "Escaped").map((l) => [
      l.name,
      l.args.recipient,
      eth(l.args.amount),
      String(l.block),
    ]);
    out.push(
      "<h3>Exits paid on L1</h3>",
      table("exits", ["event", "to", "amount", "block"], exits.reverse(), "no exit claimed"),
    );
    out.push("</section>");
  }
  return out.join("\n");
}

function viewZk() {
  const out = [nodeLine("zk")];
  const rollups = contracts("zk");
  if (rollups.length === 0) out.push(`<p class="muted" data-testid="zk-none">no zk rollup found on this chain yet</p>`);
  for (const address of rollups) {
    const calls = state.calls.get(address) ?? {};
    const genesis = logsOf(address, "Genesis")[0];
    out.push(`<section><h2>zk rollup ${esc(address)}</h2>`);
    out.push(
      `<p>${genesis ? `operator ${esc(genesis.args.operator)} · tree depth ${genesis.args.treeDepth} · ${genesis.args.batchSize} slots per batch · ` : ""}contract holds ${calls.balance !== undefined ? eth(calls.balance) : "?"}${logsOf(address, "Frozen", "FrozenOnDeposit").length ? " · FROZEN" : ""}</p>`,
    );
    const claimed = logsOf(address, "WithdrawalClaimed");
    const batches = logsOf(address, "BatchProven").map((l) => {
      const receipt = state.receipts.get(l.tx);
      const proof = state.proofGas.get(l.tx);
      const paid = claimed.filter((c) => c.args.batchNumber === l.args.batchNumber).length;
      // A proven batch is final at once: its exits can be claimed from the next block on (no window).
      const exits = /^0x0*$/.test(l.args.exitRoot)
        ? "none"
        : `claimable now (exit root ${short(l.args.exitRoot)}; ${paid} claimed)`;
      return [
        String(l.args.batchNumber),
        { html: `<code>${esc(l.args.commitment.toString())}</code>` },
        `${short("0x" + l.args.oldRoot.toString(16))} → ${short("0x" + l.args.newRoot.toString(16))}`,
        String(l.args.depositsConsumed),
        { cls: "num", html: receipt ? num(BigInt(receipt.gasUsed)) : "?" },
        {
          cls: "num proof-gas",
          html: proof?.gas !== undefined ? num(proof.gas) : proof?.error ? esc(`not traced: ${proof.error}`) : "…",
        },
        { cls: "exits", html: esc(exits) },
      ];
    });
    out.push(
      "<h3>Proven batches</h3>",
      `<p class="muted">The public input is the batch's commitment (with the rollup's domain); the proof verification gas is the execution of the verifier ${esc(calls.VERIFIER ?? "")} called alone with the batch's proof and public input at the batch's parent block (the chain's debug_traceCall), as the benchmark measures it.</p>`,
      table(
        "zk-batches",
        [
          "batch",
          "public input (commitment)",
          "state root",
          "deposits consumed",
          "L1 gas of the tx",
          "of it: proof verification",
          "exits",
        ],
        batches.reverse(),
        "no batch proven yet",
      ),
    );
    const deposits = logsOf(address, "DepositQueued").map((l) => [
      String(l.args.index),
      l.args.sender,
      eth(l.args.amount),
    ]);
    out.push(
      "<h3>Deposits</h3>",
      table("zk-deposits", ["deposit", "sender", "amount"], deposits.reverse(), "no deposit"),
    );
    const exits = logsOf(address, "WithdrawalClaimed", "Escaped").map((l) => [
      l.name,
      String(l.args.batchNumber ?? ""),
      l.args.owner,
      eth(l.args.amount),
    ]);
    out.push(
      "<h3>Exits paid on L1</h3>",
      table("zk-exits", ["event", "batch", "owner", "amount"], exits.reverse(), "no exit claimed"),
    );
    const answered = logsOf(address, "ForcedExitAnswered");
    const forced = logsOf(address, "ForcedExitRequested").map((l) => {
      const a = answered.find((x) => x.args.requestId === l.args.requestId);
      return [
        String(l.args.requestId),
        String(l.args.account),
        l.args.owner,
        eth(l.args.amount),
        a
          ? `answered in batch ${a.args.batchNumber} (${a.args.paid ? "paid" : "not covered"})`
          : `deadline in ${countdown(Number(l.args.deadline) - state.timestamp)}`,
      ];
    });
    out.push(
      "<h3>Forced exits</h3>",
      table("zk-forced", ["request", "account", "owner", "amount", "answer"], forced.reverse(), "no forced exit"),
    );
    out.push(refusedTable(address));
    out.push("</section>");
  }
  return out.join("\n");
}

function channelsOf(address) {
  const channels = new Map();
  for (const l of logsOf(
    address,
    "ChannelOpened",
    "ChannelDeposited",
    "ChannelClosed",
    "ChannelUpdated",
    "ChannelPenalized",
    "ChannelSettled",
    "ChannelCooperativelyClosed",
  )) {
    const id = l.args.channelId;
    if (l.name === "ChannelOpened") {
      channels.set(id, {
        id,
        a: l.args.accountA,
        b: l.args.accountB,
        depositA: l.args.depositA,
        depositB: 0n,
        status: "open",
        balances: null,
        events: [],
      });
      continue;
    }
    const c = channels.get(id);
    if (!c) continue;
    if (l.name === "ChannelDeposited") {
      if (l.args.account === c.a) c.depositA = l.args.newDeposit;
      else c.depositB = l.args.newDeposit;
    } else if (l.name === "ChannelClosed" || l.name === "ChannelUpdated") {
      c.status = "closing";
      c.balances = [l.args.state.balanceA, l.args.state.balanceB, `state ${l.args.nonce}`];
      c.events.push(
        `${l.name === "ChannelClosed" ? "closed" : "updated"} by ${short(l.name === "ChannelClosed" ? l.args.closer : l.args.by)} at state ${l.args.nonce}`,
      );
    } else if (l.name === "ChannelPenalized") {
      c.status = "penalized";
      c.events.push(
        `penalized: ${short(l.args.cheater)} showed state ${l.args.staleNonce} (revoked up to ${l.args.revokedUpTo}); ${short(l.args.beneficiary)} took ${eth(l.args.amount)}`,
      );
    } else {
      c.status = l.name === "ChannelSettled" ? "settled" : "closed cooperatively";
      c.balances = [l.args.payoutA, l.args.payoutB, "paid out"];
    }
  }
  return [...channels.values()];
}

function graph(channels) {
  const people = [...new Set(channels.flatMap((c) => [c.a, c.b]))];
  if (people.length === 0) return "";
  const w = 640,
    h = 320,
    r = 120;
  const at = new Map(
    people.map((p, i) => [
      p,
      [
        w / 2 + r * 1.6 * Math.cos((2 * Math.PI * i) / people.length),
        h / 2 + r * Math.sin((2 * Math.PI * i) / people.length),
      ],
    ]),
  );
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" data-testid="channel-graph"><rect width="${w}" height="${h}" fill="#fff"/>`,
  ];
  channels.forEach((c, i) => {
    const [x1, y1] = at.get(c.a),
      [x2, y2] = at.get(c.b);
    const colour = c.status === "open" ? "#1f77b4" : c.status === "penalized" ? "#d62728" : "#7f7f7f";
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(
      `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6 + (i % 2) * 14}" font-size="11" text-anchor="middle" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="${colour}">#${c.id} ${formatEther(c.depositA + c.depositB)} ETH</text>`,
    );
  });
  for (const [p, [x, y]] of at) {
    parts.push(
      `<circle cx="${x}" cy="${y}" r="7" fill="#222"/><text x="${x}" y="${y - 12}" font-size="12" text-anchor="middle" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">${short(p)}</text>`,
    );
  }
  parts.push("</svg>");
  return `<div class="chart">${parts.join("")}</div>`;
}

// Payments hop by hop: every lock the channel nodes report (GET /events), put together by hashlock. A hop is a
// lock its sender offered ("out") and its receiver took ("in"); the payer's hop expires last, so hops are in
// order of expiry, latest first.
function paymentsTable() {
  const locks = [];
  for (const [name, node] of state.offChain) {
    if (name.startsWith("channel/") && node.state === "up") locks.push(...(node.events.locks ?? []));
  }
  if (OFF_CHAIN.every(([name]) => !name.startsWith("channel/")))
    return `<h3>Payments hop by hop</h3><p class="muted">no channel node given (start the explorer with --channel-node alice=URL,…)</p>`;
  const payments = new Map();
  for (const lock of locks) {
    if (!payments.has(lock.hashlock)) payments.set(lock.hashlock, []);
    payments.get(lock.hashlock).push(lock);
  }
  const rows = [];
  for (const [hashlock, all] of [...payments].sort(
    (x, y) => Math.max(...y[1].map((l) => l.at)) - Math.max(...x[1].map((l) => l.at)),
  )) {
    const hops = new Map(); // channel → { from, to, amount, expiry, out, in }
    for (const lock of all) {
      const [from, to] = lock.direction === "out" ? [lock.node, lock.peer] : [lock.peer, lock.node];
      const hop = hops.get(lock.channelId) ?? {
        from,
        to,
        channelId: lock.channelId,
        amount: lock.amount,
        expiry: lock.expiry,
      };
      hop[lock.direction] = lock;
      hops.set(lock.channelId, hop);
    }
    const ordered = [...hops.values()].sort((a, b) => b.expiry - a.expiry);
    ordered.forEach((hop, i) => {
      const said = (lock) => (lock ? `${lock.state}${lock.reason ? ` (${lock.reason})` : ""}` : "not reported");
      rows.push([
        i === 0 ? { html: `<code>${esc(short(hashlock))}</code>` } : "",
        `hop ${i + 1}: ${hop.from} → ${hop.to}`,
        String(hop.channelId),
        eth(BigInt(hop.amount)),
        new Date(hop.expiry * 1000).toISOString().replace("T", " ").slice(0, 19),
        { cls: `lock-${hop.out?.state ?? "none"}`, html: esc(said(hop.out)) },
        { cls: `lock-${hop.in?.state ?? "none"}`, html: esc(said(hop.in)) },
      ]);
    });
  }
  return [
    "<h3>Payments hop by hop</h3>",
    `<p class="muted">From the channel nodes' own records (GET /events of ${OFF_CHAIN.filter(([n]) =>
      n.startsWith("channel/"),
    )
      .map(([n]) => esc(n.slice(8)))
      .join(", ")}): off-chain, nothing of it is on L1 until a channel closes.</p>`,
    table(
      "payments",
      [
        "payment (hashlock)",
        "hop",
        "channel",
        "amount",
        "lock expires (L1 time, UTC)",
        "sender's lock",
        "receiver's lock",
      ],
      rows,
      "no routed payment yet",
    ),
  ].join("\n");
}

// The watchtower's own record: the channels it watches with the newest state it holds, and what it sent to L1.
function towerTable() {
  if (!config.nodes.watchtower)
    return `<h3>Watchtower</h3><p class="muted">no watchtower given (start the explorer with --watchtower URL)</p>`;
  const node = state.offChain.get("watchtower");
  if (!node || node.state !== "up") return `<h3>Watchtower</h3><p class="muted">watchtower not answering</p>`;
  const rows = [...(node.events.events ?? [])]
    .reverse()
    .map((e) =>
      e.kind === "watching"
        ? ["watching", String(e.channelId), `side ${e.side}, holds state #${e.heldNonce ?? "?"}`, ""]
        : ["action", String(e.channelId), e.outcome, e.tx ? { html: `<code>${esc(e.tx)}</code>` } : ""],
    );
  return [
    "<h3>Watchtower</h3>",
    table("tower", ["what", "channel", "state held / outcome", "L1 tx"], rows, "the tower watches no channel yet"),
  ].join("\n");
}

function viewChannels() {
  const out = [];
  const addresses = contracts("channels");
  if (addresses.length === 0)
    out.push(`<p class="muted" data-testid="channels-none">no payment-channel contract found on this chain yet</p>`);
  for (const address of addresses) {
    const channels = channelsOf(address);
    out.push(`<section><h2>Payment channels ${esc(address)}</h2>`, graph(channels));
    const rows = channels.map((c) => [
      String(c.id),
      c.a,
      c.b,
      eth(c.depositA + c.depositB),
      c.status,
      c.balances
        ? `${formatEther(c.balances[0])} / ${formatEther(c.balances[1])} ETH (${c.balances[2]})`
        : "off-chain until closed",
      c.events.join("; "),
    ]);
    out.push(
      table(
        "channels",
        ["channel", "A", "B", "capacity", "status", "balances A / B on L1", "closes, disputes, penalties"],
        rows,
        "no channel opened",
      ),
    );
    const locks = logsOf(address, "LockRedeemed", "LockRefunded", "PreimageRevealed").map((l) => [
      l.name,
      short(l.args.hashlock),
      l.args.to ?? "",
      l.args.amount !== undefined ? eth(l.args.amount) : short(l.args.preimage),
    ]);
    if (locks.length)
      out.push("<h3>Locks on L1</h3>", table("locks", ["event", "hashlock", "to", "amount / preimage"], locks, ""));
    out.push(refusedTable(address));
    out.push("</section>");
  }
  out.push(paymentsTable(), towerTable());
  return out.join("\n");
}

// The split of one L1 transaction's gas, from its receipt and its own bytes (EIP-2028 calldata, EIP-7623 floor).
function split(hash) {
  const receipt = state.receipts.get(hash);
  const tx = state.txs.get(hash);
  if (!receipt || !tx || !tx.to) return undefined;
  const bytes = (tx.input.length - 2) / 2;
  let zeros = 0;
  for (let i = 2; i < tx.input.length; i += 2) if (tx.input.slice(i, i + 2) === "00") zeros++;
  const calldata = 4 * zeros + 16 * (bytes - zeros);
  const floor = 21000 + 10 * (zeros + 4 * (bytes - zeros));
  const used = Number(BigInt(receipt.gasUsed));
  const standard = used - 21000 - calldata;
  // The proof's part of execution, where the server traced it (zk batches); never more than the execution.
  const proof = Math.min(Number(state.proofGas.get(hash)?.gas ?? 0n), Math.max(standard, 0));
  return used <= floor
    ? { used, intrinsic: 21000, calldata, floorTopUp: used - 21000 - calldata, execution: 0, proof: 0, floor: true }
    : { used, intrinsic: 21000, calldata, floorTopUp: 0, execution: standard - proof, proof, floor: false };
}

function viewGas() {
  const out = [];
  const txs = [...new Map(state.logs.map((l) => [l.tx, l])).values()].filter((l) => split(l.tx));
  if (txs.length === 0)
    return `<p class="muted" data-testid="gas-none">no L1 transaction to a rollup or channel contract yet</p>`;
  const recent = txs.slice(-16);
  const bars = recent.map((l) => {
    const s = split(l.tx);
    const events = state.logs.filter((x) => x.tx === l.tx).map((x) => x.name);
    return {
      label: `${l.system} · ${events.find((n) => /Batch|Fraud|Channel|Forced|Deposit|Exit|Withdrawal/.test(n)) ?? events[0]} · block ${l.block}`,
      segments: [
        { part: "intrinsic", value: s.intrinsic },
        { part: "calldata", value: s.calldata },
        { part: "floor top-up", value: s.floorTopUp },
        { part: "execution", value: s.execution },
        { part: "proof verification", value: s.proof },
      ],
      annotation: `${num(s.used)} gas${s.floor ? " (floor)" : ""}`,
    };
  });
  out.push(
    `<div class="chart" data-testid="gas-split">${barChart({ title: "Where each L1 transaction's gas goes (last 16 to the systems' contracts)", subtitle: "from each receipt's gasUsed and the transaction's own bytes: 21,000 intrinsic, EIP-2028 calldata, EIP-7623 floor; the rest is execution, less a zk batch's proof verification (the verifier run alone with the same proof, traced)", valueLabel: "L1 gas", parts: ["intrinsic", "calldata", "floor top-up", "execution", "proof verification"], bars })}</div>`,
  );
  // Running L1 gas per L2 transaction: the batches' gas so far over the L2 transactions they carried so far.
  const series = [];
  const opt = state.nodes.optimistic;
  for (const address of contracts("optimistic")) {
    const counts =
      opt.state === "up" && opt.status?.rollup === address
        ? new Map(opt.batches.map((b) => [b.l1Tx, b.txs]))
        : new Map();
    let gas = 0,
      l2 = 0;
    const points = [];
    for (const l of logsOf(address, "BatchSubmitted")) {
      const n = counts.get(l.tx);
      if (!n) continue;
      gas += split(l.tx)?.used ?? 0;
      l2 += n;
      points.push([l2, gas / l2]);
    }
    if (points.length) series.push({ name: `optimistic ${short(address)}`, points });
  }
  for (const address of contracts("zk")) {
    const genesis = logsOf(address, "Genesis")[0];
    if (!genesis) continue;
    let gas = 0,
      slots = 0;
    const points = [];
    for (const l of logsOf(address, "BatchProven")) {
      gas += split(l.tx)?.used ?? 0;
      slots += Number(genesis.args.batchSize);
      points.push([slots, gas / slots]);
    }
    if (points.length) series.push({ name: `zk ${short(address)} (per slot)`, points });
  }
  if (series.length) {
    out.push(
      `<div class="chart" data-testid="gas-running">${lineChart({ title: "Running L1 gas per L2 transaction", subtitle: "optimistic: L2 txs per batch from the node's API; zk: per batch slot (Genesis batchSize)", xLabel: "L2 transactions so far", yLabel: "L1 gas per L2 tx so far (log)", series, lines: [{ name: "L1 ETH transfer (21,000)", y: 21000, color: "#000000" }] })}</div>`,
    );
  } else {
    out.push(
      `<p class="muted">running gas per L2 transaction: needs a proven zk batch, or an optimistic node given with --optimistic-node</p>`,
    );
  }
  const rows = txs
    .slice(-40)
    .reverse()
    .map((l) => {
      const s = split(l.tx);
      return [
        short(l.tx),
        l.system,
        String(l.block),
        { cls: "num", html: num(s.used) },
        { cls: "num", html: num(s.intrinsic) },
        { cls: "num", html: num(s.calldata) },
        { cls: "num", html: num(s.floorTopUp) },
        { cls: "num", html: num(s.execution) },
        { cls: "num", html: num(s.proof) },
      ];
    });
  out.push(
    table(
      "gas-table",
      ["L1 tx", "system", "block", "gas used", "intrinsic", "calldata", "floor top-up", "execution", "proof"],
      rows,
      "",
    ),
  );
  return out.join("\n");
}

function currentView() {
  const name = location.hash.replace(/^#\/?/, "") || "optimistic";
  return VIEWS.includes(name) ? name : "optimistic";
}

function render() {
  const view = currentView();
  for (const a of document.querySelectorAll("nav a"))
    a.classList.toggle("active", a.getAttribute("href") === `#/${view}`);
  document.getElementById("banners").innerHTML = state.banners
    .map((b) => `<div class="banner ${b.kind}" data-testid="banner-${b.kind}">${esc(b.text)}</div>`)
    .join("");
  document.getElementById("head").textContent =
    state.chain === "up"
      ? `chain ${state.chainId} · block ${state.head} · ${state.logs.length} events`
      : state.chain === "down"
        ? "chain not running"
        : "connecting…";
  document.getElementById("head").dataset.block = String(state.head);
  const body = { optimistic: viewOptimistic, zk: viewZk, channels: viewChannels, gas: viewGas }[view];
  try {
    document.getElementById("view").innerHTML = body();
  } catch (error) {
    document.getElementById("view").innerHTML =
      `<p class="status-rolled-back">cannot draw this view: ${esc(error.message)}</p>`;
  }
  document.body.dataset.view = view;
  // Set once the first view was drawn from the chain (tests and the load-time figure wait for it).
  if (state.head >= 0) document.body.dataset.loaded = "1";
  state.updatedAt = performance.now();
}

async function tick() {
  try {
    const changed = await scan();
    setChain("up");
    await Promise.all([...["optimistic", "zk"].map(readNode), readOffChain()]);
    // Off-chain records change without a new block: a payment routed, a state handed to the tower.
    const offChain = JSON.stringify([...state.offChain.values()].map((n) => [n.state, n.events]));
    const offChainChanged = offChain !== state.offChainSeen;
    state.offChainSeen = offChain;
    if (changed || offChainChanged || state.banners.length) render();
  } catch (error) {
    if (error instanceof ChainDown || error instanceof TypeError) {
      setChain("down", error.message);
      render();
    } else {
      banner("down", `reading the chain failed: ${error.message}`);
      render();
    }
  }
  setTimeout(tick, POLL_MS);
}

window.addEventListener("hashchange", render);
render();
tick();
