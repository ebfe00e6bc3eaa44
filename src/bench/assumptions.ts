/**
 * Default prices for the economics model, each stated and overridable with `--assumptions FILE`
 * (a JSON object with any of these keys; wei values as decimal strings).
 */
import { readFileSync } from "fs";
import type { Assumptions } from "./types";

const GWEI = 10n ** 9n;

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  // A quiet-day mainnet base fee; the model is linear in it, so scale figures freely.
  baseFeePerGas: 2n * GWEI,
  priorityFeePerGas: GWEI / 10n,
  // Blob base fee well above its 1 wei minimum, as under sustained blob demand.
  blobBaseFeePerGas: GWEI / 100n,
  // Mainnet's block gas limit after the Fusaka upgrade (EIP-7935 default).
  blockGasLimit: 60_000_000n,
  // Osaka's own blob schedule (EIP-7840: max 9); later blob-parameter-only forks raise it.
  maxBlobsPerBlock: 9,
  // What the operator charges per L2 transfer: 0.00001 ETH.
  l2FeePerTx: 10n ** 13n,
};

export class AssumptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssumptionsError";
  }
}

const BIGINT_KEYS = ["baseFeePerGas", "priorityFeePerGas", "blobBaseFeePerGas", "blockGasLimit", "l2FeePerTx"] as const;

/** Reads overrides from a JSON file; unknown keys and non-integer values are errors. */
export function loadAssumptions(path?: string): Assumptions {
  if (!path) return { ...DEFAULT_ASSUMPTIONS };
  const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const result: Assumptions = { ...DEFAULT_ASSUMPTIONS };
  for (const [key, value] of Object.entries(raw)) {
    if ((BIGINT_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== "string" && typeof value !== "number") {
        throw new AssumptionsError(`${path}: ${key} must be a decimal integer (wei), got ${JSON.stringify(value)}`);
      }
      if (!/^\d+$/.test(String(value)))
        throw new AssumptionsError(`${path}: ${key} "${value}" is not a decimal integer`);
      (result as unknown as Record<string, bigint>)[key] = BigInt(value);
    } else if (key === "maxBlobsPerBlock") {
      if (!Number.isInteger(value) || (value as number) < 1) {
        throw new AssumptionsError(
          `${path}: maxBlobsPerBlock must be a positive integer, got ${JSON.stringify(value)}`,
        );
      }
      result.maxBlobsPerBlock = value as number;
    } else throw new AssumptionsError(`${path}: unknown assumption "${key}"`);
  }
  return result;
}

/** One line, `key=value;...`, for the CSV and each JSON row. */
export function formatAssumptions(a: Assumptions): string {
  return [
    `baseFeePerGas=${a.baseFeePerGas}`,
    `priorityFeePerGas=${a.priorityFeePerGas}`,
    `blobBaseFeePerGas=${a.blobBaseFeePerGas}`,
    `blockGasLimit=${a.blockGasLimit}`,
    `maxBlobsPerBlock=${a.maxBlobsPerBlock}`,
    `l2FeePerTx=${a.l2FeePerTx}`,
  ].join(";");
}

export function assumptionsToJson(a: Assumptions): Record<string, string | number> {
  return {
    baseFeePerGas: a.baseFeePerGas.toString(),
    priorityFeePerGas: a.priorityFeePerGas.toString(),
    blobBaseFeePerGas: a.blobBaseFeePerGas.toString(),
    blockGasLimit: a.blockGasLimit.toString(),
    maxBlobsPerBlock: a.maxBlobsPerBlock,
    l2FeePerTx: a.l2FeePerTx.toString(),
  };
}
