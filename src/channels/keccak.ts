/**
 * keccak256 of hex data, through the `keccak` package (native libkeccak when
 * its build is present, its own JS otherwise), falling back to ethers. A
 * payment hashes a dozen small buffers; ethers' pure-JS keccak was the
 * largest single cost of an off-chain payment (scripts/bench-channels.ts).
 * The encoding tests compare every hash built on it with ethers' own.
 */
import { keccak256 as ethersKeccak256 } from "ethers";

type KeccakFactory = (algorithm: "keccak256") => { update(data: Buffer): { digest(): Buffer } };

let factory: KeccakFactory | null = null;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  factory = require("keccak") as KeccakFactory;
} catch {
  factory = null;
}

/** keccak256 of the bytes written as 0x-prefixed hex; returns 0x-prefixed hex. */
export function keccakHex(hex: string): string {
  if (!factory) return ethersKeccak256(hex);
  return `0x${factory("keccak256")
    .update(Buffer.from(hex.slice(2), "hex"))
    .digest()
    .toString("hex")}`;
}

/** keccak256 of raw bytes. */
export function keccakBytes(bytes: Uint8Array): string {
  if (!factory) return ethersKeccak256(bytes);
  return `0x${factory("keccak256")
    .update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest()
    .toString("hex")}`;
}
