/**
 * What calldata costs on L1 under each pricing rule, and how a transaction's gas splits.
 *
 * Standard pricing (EIP-2028, every hardfork since Istanbul): 4 gas per zero byte, 16 per non-zero
 * byte. EIP-7623 (Prague/Osaka) counts "tokens" (zero byte = 1, non-zero byte = 4) and charges
 *   gasUsed = 21000 + max(4·tokens + execution, 10·tokens)
 * so a transaction that mostly carries data pays 10/40 gas per zero/non-zero byte: the floor.
 */

export const INTRINSIC_GAS = 21_000n;
/** EIP-2028 / EIP-7623 STANDARD_TOKEN_COST: gas per token under standard pricing. */
export const STANDARD_TOKEN_COST = 4n;
/** EIP-7623 TOTAL_COST_FLOOR_PER_TOKEN. */
export const FLOOR_TOKEN_COST = 10n;
/** Hardforks whose transactions are subject to the EIP-7623 floor. */
const FLOOR_HARDFORKS = new Set(["prague", "osaka"]);

export class CalldataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CalldataError";
  }
}

export interface ByteCounts {
  zeroBytes: number;
  nonZeroBytes: number;
}

/** Counts zero and non-zero bytes of `data` (a 0x-hex string or bytes). */
export function countBytes(data: string | Uint8Array): ByteCounts {
  let bytes: Uint8Array;
  if (typeof data === "string") {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(data))
      throw new CalldataError(`countBytes: "${data.slice(0, 20)}..." is not 0x-prefixed hex of whole bytes`);
    bytes = Buffer.from(data.slice(2), "hex");
  } else bytes = data;
  let zeroBytes = 0;
  for (const byte of bytes) if (byte === 0) zeroBytes++;
  return { zeroBytes, nonZeroBytes: bytes.length - zeroBytes };
}

/** EIP-7623 tokens: one per zero byte, four per non-zero byte. */
export function tokens(counts: ByteCounts): bigint {
  return BigInt(counts.zeroBytes) + 4n * BigInt(counts.nonZeroBytes);
}

/** Standard calldata gas: 4 per zero byte, 16 per non-zero byte. */
export function standardCalldataGas(counts: ByteCounts): bigint {
  return STANDARD_TOKEN_COST * tokens(counts);
}

/** The EIP-7623 floor for these bytes alone (10 per zero byte, 40 per non-zero), without the 21,000. */
export function floorCalldataGas(counts: ByteCounts): bigint {
  return FLOOR_TOKEN_COST * tokens(counts);
}

export function hardforkHasFloor(hardfork: string): boolean {
  return FLOOR_HARDFORKS.has(hardfork.toLowerCase());
}

/**
 * The gas a transaction is charged for `execution` gas (net of refunds) and these calldata bytes,
 * under the pricing of `hardfork`. Creation surcharges and access lists are not modelled: the
 * benchmark sends neither in the transactions it splits.
 */
export function chargedGas(counts: ByteCounts, execution: bigint, hardfork: string): bigint {
  const standard = INTRINSIC_GAS + standardCalldataGas(counts) + execution;
  if (!hardforkHasFloor(hardfork)) return standard;
  const floor = INTRINSIC_GAS + floorCalldataGas(counts);
  return standard > floor ? standard : floor;
}

/** Where one L1 transaction's gas went. The parts add up to the receipt's gasUsed. */
export interface GasSplit {
  /** 21,000 per transaction. */
  intrinsic: bigint;
  /** Calldata at standard pricing (4/16 per byte). */
  calldata: bigint;
  /** What the EIP-7623 floor charged on top of intrinsic + calldata + execution (0 when it did not apply). */
  floorTopUp: bigint;
  /** Execution not counted below (net of refunds). */
  execution: bigint;
  /** SSTORE gas (cold-slot surcharges included), counted from the trace. */
  storage: bigint;
  /** Gas of the proof verifier, measured by calling it alone with the same proof. */
  proofVerification: bigint;
}

export function emptySplit(): GasSplit {
  return { intrinsic: 0n, calldata: 0n, floorTopUp: 0n, execution: 0n, storage: 0n, proofVerification: 0n };
}

export function addSplits(a: GasSplit, b: GasSplit): GasSplit {
  return {
    intrinsic: a.intrinsic + b.intrinsic,
    calldata: a.calldata + b.calldata,
    floorTopUp: a.floorTopUp + b.floorTopUp,
    execution: a.execution + b.execution,
    storage: a.storage + b.storage,
    proofVerification: a.proofVerification + b.proofVerification,
  };
}

export function splitTotal(split: GasSplit): bigint {
  return (
    split.intrinsic + split.calldata + split.floorTopUp + split.execution + split.storage + split.proofVerification
  );
}

export interface SplitInput {
  gasUsed: bigint;
  counts: ByteCounts;
  hardfork: string;
  /** Gross execution gas from the trace (before refunds); needed only when the floor may have applied. */
  tracedExecution?: bigint;
  storage: bigint;
  proofVerification: bigint;
}

/**
 * Splits a receipt's gas. When gasUsed is above the floor the floor did not apply and execution is
 * what remains after intrinsic and standard calldata. When gasUsed equals the floor, execution comes
 * from the trace (gross: refunds are not visible there, which only matters for transactions that
 * clear storage) and the floor's surcharge is the rest.
 */
export function splitGas(input: SplitInput): { split: GasSplit; floorApplied: boolean } {
  const { gasUsed, counts } = input;
  const calldata = standardCalldataGas(counts);
  const floorTotal = INTRINSIC_GAS + floorCalldataGas(counts);
  const floorApplied =
    hardforkHasFloor(input.hardfork) && gasUsed === floorTotal && input.tracedExecution !== undefined
      ? INTRINSIC_GAS + calldata + input.tracedExecution < floorTotal
      : false;
  if (gasUsed < INTRINSIC_GAS + calldata) {
    throw new CalldataError(`splitGas: gasUsed ${gasUsed} is below intrinsic + calldata ${INTRINSIC_GAS + calldata}`);
  }
  let executionNet = floorApplied ? input.tracedExecution! : gasUsed - INTRINSIC_GAS - calldata;
  const floorTopUp = floorApplied ? gasUsed - INTRINSIC_GAS - calldata - executionNet : 0n;
  // Storage and verification are parts of execution; never let them exceed it (refunds can make
  // net execution smaller than the SSTORE gas that earned them).
  let storage = input.storage;
  let proofVerification = input.proofVerification;
  if (proofVerification > executionNet) proofVerification = executionNet;
  if (storage > executionNet - proofVerification) storage = executionNet - proofVerification;
  executionNet -= storage + proofVerification;
  return {
    split: { intrinsic: INTRINSIC_GAS, calldata, floorTopUp, execution: executionNet, storage, proofVerification },
    floorApplied,
  };
}
