/**
 * Reads a transaction's execution from the node's opcode trace (`debug_traceTransaction`), with
 * stack, memory and storage capture off so even large batches trace quickly.
 */

/** What the trace needs of a provider: Hardhat's EthereumProvider, or a JSON-RPC client of a running node. */
export interface TraceProvider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraceError";
  }
}

interface StructLog {
  depth: number;
  gas: number;
  gasCost: number;
  op: string;
  /** Only when the trace was asked with the stack on. */
  stack?: string[];
}

interface TraceResult {
  failed: boolean;
  gas: number;
  structLogs: StructLog[];
}

export interface ExecutionTrace {
  /** Gas the EVM consumed running the transaction, before refunds (0 for a plain transfer). */
  execution: bigint;
  /** Sum of the gas charged by every SSTORE, in every call frame. */
  storage: bigint;
  /** How many SSTOREs ran. */
  sstores: number;
  /** Number of opcodes executed. */
  steps: number;
}

export async function traceExecution(provider: TraceProvider, txHash: string): Promise<ExecutionTrace> {
  const trace = (await provider.send("debug_traceTransaction", [
    txHash,
    { disableStack: true, disableMemory: true, disableStorage: true },
  ])) as TraceResult;
  if (trace.failed) throw new TraceError(`traceExecution: transaction ${txHash} failed on replay`);
  const logs = trace.structLogs;
  if (logs.length === 0) return { execution: 0n, storage: 0n, sstores: 0, steps: 0 };
  let storage = 0n;
  let sstores = 0;
  for (const log of logs) {
    if (log.op === "SSTORE") {
      storage += BigInt(log.gasCost);
      sstores++;
    }
  }
  // The top frame ends with its last depth-1 step (STOP or RETURN); what is left after it is unspent.
  let last = logs.length - 1;
  while (last > 0 && logs[last].depth !== 1) last--;
  const end = logs[last];
  const execution = BigInt(logs[0].gas) - (BigInt(end.gas) - BigInt(end.gasCost));
  return { execution, storage, sstores, steps: logs.length };
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);

/**
 * The gas one transaction spent in its top frame's calls to `callee`: for each such call, the gas left before the
 * call opcode minus the gas left at the top frame's next step, so the call's own charge (cold access, memory) and
 * everything the callee ran are counted. This is how a zk batch's proof verification is split out of the very
 * transaction that carried it. The trace keeps the stack (the callee's address is on it), so it suits
 * transactions of modest length.
 */
export async function traceCallsTo(provider: TraceProvider, txHash: string, callee: string): Promise<bigint> {
  const trace = (await provider.send("debug_traceTransaction", [
    txHash,
    { disableStack: false, disableMemory: true, disableStorage: true },
  ])) as TraceResult;
  const target = BigInt(callee);
  const logs = trace.structLogs;
  let spent = 0n;
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i];
    if (step.depth !== 1 || !CALLS.has(step.op) || !step.stack) continue;
    // The stack's top is last: gas, then the address.
    const address = step.stack[step.stack.length - 2];
    if (address === undefined || BigInt(address.startsWith("0x") ? address : "0x" + address) !== target) continue;
    let back = i + 1;
    while (back < logs.length && logs[back].depth !== 1) back++;
    if (back === logs.length) throw new TraceError(`traceCallsTo: the call at step ${i} of ${txHash} never returned`);
    spent += BigInt(step.gas) - BigInt(logs[back].gas);
  }
  return spent;
}
