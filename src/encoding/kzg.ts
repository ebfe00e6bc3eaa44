/**
 * The one place KZG (EIP-4844) is loaded. It prefers `c-kzg`, the native binding (trusted setup in about 3 s),
 * and falls back to `kzg-wasm` (WASM, no native build, about 18 s to load) when c-kzg is not installed or does
 * not load, so c-kzg stays optional. Both use the Ethereum mainnet trusted setup and give the same bytes.
 *
 * Point openings (a proof that the blob's polynomial takes value y at z, what the point-evaluation precompile
 * checks) need `computeKzgProof`, which only c-kzg offers: with kzg-wasm, `computeKzgProof` is undefined and
 * whoever needs an opening (a challenger of a blob batch) says so.
 */
import type { KzgLibrary } from "ethers";

export interface Kzg {
  backend: "c-kzg" | "kzg-wasm";
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array;
  verifyBlobKzgProof(blob: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean;
  /** [proof, y]: the opening of the blob's polynomial at `z` (32 bytes, big-endian). c-kzg only. */
  computeKzgProof?: (blob: Uint8Array, z: Uint8Array) => [Uint8Array, Uint8Array];
}

export class KzgUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KzgUnavailable";
  }
}

interface CKzgModule {
  loadTrustedSetup(precompute: number, filePath?: string): void;
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array;
  verifyBlobKzgProof(blob: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean;
  computeKzgProof(blob: Uint8Array, z: Uint8Array): [Uint8Array, Uint8Array];
}

interface WasmKzgModule {
  loadKZG(): Promise<{
    blobToKZGCommitment(blob: string): string;
    computeBlobKZGProof(blob: string, commitment: string): string;
    verifyBlobKZGProof(blob: string, commitment: string, proof: string): boolean;
  }>;
}

const toHex = (bytes: Uint8Array): string => "0x" + Buffer.from(bytes).toString("hex");
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/^0x/, ""), "hex"));

let cached: Kzg | undefined;
let loading: Promise<Kzg> | undefined;

function loadNative(): Kzg | undefined {
  let ckzg: CKzgModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ckzg = require("c-kzg") as CKzgModule;
  } catch {
    return undefined;
  }
  try {
    ckzg.loadTrustedSetup(0);
  } catch (error) {
    // Loaded already in this process (by another copy of this module): c-kzg keeps one setup per process.
    if (!/already loaded/i.test((error as Error).message)) return undefined;
  }
  return {
    backend: "c-kzg",
    blobToKzgCommitment: (blob) => ckzg.blobToKzgCommitment(blob),
    computeBlobKzgProof: (blob, commitment) => ckzg.computeBlobKzgProof(blob, commitment),
    verifyBlobKzgProof: (blob, commitment, proof) => ckzg.verifyBlobKzgProof(blob, commitment, proof),
    computeKzgProof: (blob, z) => ckzg.computeKzgProof(blob, z),
  };
}

async function loadWasm(): Promise<Kzg> {
  let wasm: WasmKzgModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    wasm = require("kzg-wasm") as WasmKzgModule;
  } catch (error) {
    throw new KzgUnavailable(`loadKzg: neither c-kzg nor kzg-wasm can be loaded (${(error as Error).message})`);
  }
  const kzg = await wasm.loadKZG();
  return {
    backend: "kzg-wasm",
    blobToKzgCommitment: (blob) => fromHex(kzg.blobToKZGCommitment(toHex(blob))),
    computeBlobKzgProof: (blob, commitment) => fromHex(kzg.computeBlobKZGProof(toHex(blob), toHex(commitment))),
    verifyBlobKzgProof: (blob, commitment, proof) =>
      kzg.verifyBlobKZGProof(toHex(blob), toHex(commitment), toHex(proof)),
  };
}

/**
 * KZG with the mainnet trusted setup, loaded once per process. `prefer: "kzg-wasm"` skips c-kzg (tests of the
 * fallback); by default c-kzg is used when it loads.
 */
export async function loadKzg(options: { prefer?: "c-kzg" | "kzg-wasm" } = {}): Promise<Kzg> {
  if (options.prefer === "kzg-wasm") return loadWasm();
  if (cached) return cached;
  const native = loadNative();
  if (native) return (cached = native);
  loading ??= loadWasm().then((kzg) => (cached = kzg));
  return loading;
}

/** The two functions ethers needs to build a type-3 transaction's sidecar. */
export function ethersKzg(kzg: Kzg): KzgLibrary {
  return {
    blobToKzgCommitment: (blob: Uint8Array) => kzg.blobToKzgCommitment(blob),
    computeBlobKzgProof: (blob: Uint8Array, commitment: Uint8Array) => kzg.computeBlobKzgProof(blob, commitment),
  };
}
