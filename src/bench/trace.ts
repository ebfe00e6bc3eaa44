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
  const trace = (await provider.send("debug_traceTransaction", [txHash, LIGHT])) as TraceResult;
  if (trace.failed) throw new TraceError(`traceExecution: transaction ${txHash} failed on replay`);
  return executionOf(trace.structLogs);
}

/**
 * The execution of a call that is never sent: `debug_traceCall` of `call` on the state at `blockTag`. The explorer
 * measures a zk batch's proof verification so, the verifier called alone with the batch's proof and public input
 * at the batch's parent block, as the benchmark measures it with a transaction of its own.
 */
export async function traceCallExecution(
  provider: TraceProvider,
  call: { from?: string; to: string; data: string },
  blockTag: string,
): Promise<ExecutionTrace> {
  const trace = (await provider.send("debug_traceCall", [call, blockTag, LIGHT])) as TraceResult;
  if (trace.failed) throw new TraceError(`traceCallExecution: the call to ${call.to} at ${blockTag} reverted`);
  return executionOf(trace.structLogs);
}

/** Stack, memory and storage capture off: even large batches trace quickly. */
const LIGHT = { disableStack: true, disableMemory: true, disableStorage: true };

function executionOf(logs: StructLog[]): ExecutionTrace {
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
