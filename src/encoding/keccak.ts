/**
 * keccak256 over raw bytes, the one implementation every off-chain hot path
 * uses: the optimistic rollup's state tree, leaf hashes and signed digests,
 * the keccak Merkle tree of src/merkle, and the channel states and lock trees
 * (where ethers' pure-JS keccak was the largest single cost of a payment,
 * scripts/bench-channels.ts). It drives the native sponge of the
 * `keccak` package directly (one reused state: initialise, absorb, pad,
 * squeeze), skipping the package's stream wrapper, whose construction costs
 * more than the hash; without the native build it falls back to ethers. Both
 * give the same bytes (test/src/codec.test.ts checks).
 */
import { dirname } from "path";
import { getBytes, keccak256 as ethersKeccak256 } from "ethers";

interface KeccakSponge {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

/** keccak256: rate 1088 bits, capacity 512, original Keccak padding (0x01), 32-byte output. */
const RATE = 1088;
const CAPACITY = 512;
const KECCAK_PADDING = 0x01;

function loadNative(): KeccakSponge | undefined {
  try {
    const dir = dirname(require.resolve("keccak/package.json"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Sponge = require("node-gyp-build")(dir) as new () => KeccakSponge;
    if (typeof Sponge !== "function") return undefined;
    return new Sponge();
  } catch {
    return undefined;
  }
}

const sponge = loadNative();

/** keccak256 of `data` as 32 bytes. */
export function keccakBytes(data: Uint8Array): Buffer {
  if (sponge) {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    sponge.initialize(RATE, CAPACITY);
    sponge.absorb(buffer);
    sponge.absorbLastFewBits(KECCAK_PADDING);
    return sponge.squeeze(32);
  }
  return Buffer.from(getBytes(ethersKeccak256(data)));
}

/** keccak256 of `data` as a 0x-prefixed hex string. */
export function keccakHex(data: Uint8Array): string {
  return "0x" + keccakBytes(data).toString("hex");
}

/** keccak256 of the bytes written as 0x-prefixed hex; returns 0x-prefixed hex. */
export function keccakOfHex(hex: string): string {
  return keccakHex(Buffer.from(hex.slice(2), "hex"));
}
