/** Lesson 5, reference solution: the same functions as exercise.ts, completed. */

const BASE_GAS = 21_000n;

function tokens(data: Uint8Array): bigint {
  let zeroBytes = 0n;
  for (const byte of data) if (byte === 0) zeroBytes++;
  return zeroBytes + 4n * (BigInt(data.length) - zeroBytes);
}

export function floorGas(data: Uint8Array): bigint {
  return BASE_GAS + 10n * tokens(data);
}

export function chargedGas(data: Uint8Array, executionGas: bigint): bigint {
  const standard = BASE_GAS + 4n * tokens(data) + executionGas;
  const floor = floorGas(data);
  return standard > floor ? standard : floor;
}

const LENGTH_PREFIX = 4;
const PAYLOAD_BYTES_PER_BLOB = 4096 * 31;

export function blobsFor(payloadBytes: number): number {
  return Math.max(1, Math.ceil((payloadBytes + LENGTH_PREFIX) / PAYLOAD_BYTES_PER_BLOB));
}
