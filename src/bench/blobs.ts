/**
 * EIP-4844 blob posting: packs batch bytes into blobs, computes KZG commitments and proofs
 * (src/encoding/kzg.ts: c-kzg when installed, which loads the trusted setup in ~3 s, else kzg-wasm,
 * ~18 s) and sends a type-3 transaction from a private-key wallet through `eth_sendRawTransaction`.
 *
 * Blob layout: 4096 field elements of 32 bytes. Each element carries 31 bytes of payload behind a
 * zero byte, so every element stays below the BLS12-381 scalar modulus:
 *   // [0x00<1>|payload<31>] × 4096  → 126,976 payload bytes per blob
 * The payload is prefixed with its length so a reader can strip the zero padding:
 *   // [length<4, big-endian>|batch bytes<length>|zero padding]
 */
import { AbiCoder, HDNodeWallet, Mnemonic, keccak256, type KzgLibrary, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ethersKzg, loadKzg } from "../encoding/kzg";

export const FIELD_ELEMENTS_PER_BLOB = 4096;
export const BYTES_PER_FIELD_ELEMENT = 32;
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;
export const PAYLOAD_BYTES_PER_ELEMENT = 31;
export const PAYLOAD_BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * PAYLOAD_BYTES_PER_ELEMENT;
/** Gas of one blob (EIP-4844 GAS_PER_BLOB). */
export const BLOB_GAS_PER_BLOB = 131_072;
/** Most blobs one transaction may carry (EIP-7594's per-transaction cap; also Cancun's per-block max). */
export const MAX_BLOBS_PER_TX = 6;
const LENGTH_PREFIX = 4;

export class BlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlobError";
  }
}

/** How many blobs `payloadLength` bytes need (with the length prefix). */
export function blobsNeeded(payloadLength: number): number {
  return Math.max(1, Math.ceil((payloadLength + LENGTH_PREFIX) / PAYLOAD_BYTES_PER_BLOB));
}

/** Packs bytes into blobs following the layout above. */
export function packBlobs(payload: Uint8Array): Uint8Array[] {
  if (payload.length > 0xffffffff)
    throw new BlobError(`packBlobs: payload of ${payload.length} bytes exceeds the 4-byte length prefix`);
  const framed = new Uint8Array(LENGTH_PREFIX + payload.length);
  new DataView(framed.buffer).setUint32(0, payload.length, false);
  framed.set(payload, LENGTH_PREFIX);
  const blobs: Uint8Array[] = [];
  for (let offset = 0; offset < framed.length || blobs.length === 0; offset += PAYLOAD_BYTES_PER_BLOB) {
    const blob = new Uint8Array(BYTES_PER_BLOB);
    const chunk = framed.subarray(offset, offset + PAYLOAD_BYTES_PER_BLOB);
    for (let element = 0; element * PAYLOAD_BYTES_PER_ELEMENT < chunk.length; element++) {
      const part = chunk.subarray(element * PAYLOAD_BYTES_PER_ELEMENT, (element + 1) * PAYLOAD_BYTES_PER_ELEMENT);
      blob.set(part, element * BYTES_PER_FIELD_ELEMENT + 1);
    }
    blobs.push(blob);
  }
  return blobs;
}

/** Inverse of packBlobs. */
export function unpackBlobs(blobs: Uint8Array[]): Uint8Array {
  if (blobs.length === 0) throw new BlobError("unpackBlobs: no blobs");
  const framed = new Uint8Array(blobs.length * PAYLOAD_BYTES_PER_BLOB);
  blobs.forEach((blob, index) => {
    if (blob.length !== BYTES_PER_BLOB)
      throw new BlobError(`unpackBlobs: blob ${index} has ${blob.length} bytes, not ${BYTES_PER_BLOB}`);
    for (let element = 0; element < FIELD_ELEMENTS_PER_BLOB; element++) {
      const at = element * BYTES_PER_FIELD_ELEMENT;
      if (blob[at] !== 0) throw new BlobError(`unpackBlobs: blob ${index} element ${element} has a non-zero high byte`);
      framed.set(
        blob.subarray(at + 1, at + BYTES_PER_FIELD_ELEMENT),
        index * PAYLOAD_BYTES_PER_BLOB + element * PAYLOAD_BYTES_PER_ELEMENT,
      );
    }
  });
  const length = new DataView(framed.buffer).getUint32(0, false);
  if (length > framed.length - LENGTH_PREFIX)
    throw new BlobError(`unpackBlobs: length prefix ${length} exceeds the blobs' capacity`);
  return framed.slice(LENGTH_PREFIX, LENGTH_PREFIX + length);
}

/** The KZG functions ethers needs (src/encoding/kzg.ts), loading the mainnet trusted setup once per process. */
export async function kzgLibrary(): Promise<KzgLibrary> {
  return ethersKzg(await loadKzg());
}

/**
 * A private-key wallet for Hardhat account `index` (type-3 transactions must be signed locally:
 * the node's own signer does not build blob sidecars).
 */
export function hardhatWallet(hre: HardhatRuntimeEnvironment, index: number, provider: Provider): HDNodeWallet {
  const accounts = hre.config.networks.hardhat.accounts;
  if (Array.isArray(accounts))
    throw new BlobError("hardhatWallet: the hardhat network must use a mnemonic for its accounts");
  return HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase(accounts.mnemonic, accounts.passphrase),
    `${accounts.path}/${index}`,
  ).connect(provider);
}

/**
 * The commitment BlobInbox stores for a batch, computed off-chain (same encoding as the contract):
 * keccak256(abi.encode(previousCommitment, versionedHashes, postStateRoot, txCount)).
 */
export function blobBatchCommitment(
  previous: string,
  versionedHashes: string[],
  postStateRoot: string,
  txCount: bigint,
): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "bytes32[]", "bytes32", "uint256"],
      [previous, versionedHashes, postStateRoot, txCount],
    ),
  );
}
