/**
 * EIP-712 hashing of what channel parties sign, mirroring
 * contracts/channels/ChannelHashing.sol. The struct hashes are written out by
 * hand (32-byte words, keccak256) because a payment hashes several of them;
 * test/channels/encoding.test.ts checks them against ethers' generic
 * TypedDataEncoder and against the Solidity library.
 */
import { getAddress, keccak256, toUtf8Bytes, type TypedDataField } from "ethers";
import { keccakOfHex } from "../encoding/keccak";
import type { ChannelDomain, ChannelState, Parties } from "./types";

export const DOMAIN_NAME = "l2lab PaymentChannels";
export const DOMAIN_VERSION = "1";

/** The EIP-712 types, for wallets and for checking the hand-written hashes. */
export const CHANNEL_TYPES: Record<string, TypedDataField[]> = {
  ChannelState: [
    { name: "channelId", type: "uint256" },
    { name: "nonce", type: "uint64" },
    { name: "depositA", type: "uint256" },
    { name: "depositB", type: "uint256" },
    { name: "balanceA", type: "uint256" },
    { name: "balanceB", type: "uint256" },
    { name: "locksRoot", type: "bytes32" },
  ],
  Revocation: [
    { name: "channelId", type: "uint256" },
    { name: "nonce", type: "uint64" },
  ],
  CooperativeClose: [
    { name: "channelId", type: "uint256" },
    { name: "balanceA", type: "uint256" },
    { name: "balanceB", type: "uint256" },
  ],
};

const typeHash = (signature: string): string => keccak256(toUtf8Bytes(signature));
const DOMAIN_TYPEHASH = typeHash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
const STATE_TYPEHASH = typeHash(
  "ChannelState(uint256 channelId,uint64 nonce,uint256 depositA,uint256 depositB,uint256 balanceA,uint256 balanceB,bytes32 locksRoot)",
);
const REVOCATION_TYPEHASH = typeHash("Revocation(uint256 channelId,uint64 nonce)");
const COOPERATIVE_CLOSE_TYPEHASH = typeHash("CooperativeClose(uint256 channelId,uint256 balanceA,uint256 balanceB)");

export class EncodingError extends Error {
  constructor(field: string, value: unknown, why: string) {
    super(`${field} = ${String(value)}: ${why}`);
    this.name = "EncodingError";
  }
}

/** One 32-byte ABI word (no 0x) of an unsigned integer that must fit `bits`. */
export function uintWord(field: string, value: bigint, bits = 256): string {
  if (value < 0n || value >> BigInt(bits) !== 0n) throw new EncodingError(field, value, `not a uint${bits}`);
  return value.toString(16).padStart(64, "0");
}

function bytes32Word(field: string, value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new EncodingError(field, value, "not 32 bytes of hex");
  return value.slice(2).toLowerCase();
}

function addressWord(field: string, value: string): string {
  return getAddress(value).slice(2).toLowerCase().padStart(64, "0");
}

const hashWords = (...words: string[]): string => keccakOfHex(`0x${words.join("")}`);

/** ChannelHashing.domainSeparator. */
export function domainSeparator(domain: ChannelDomain): string {
  return hashWords(
    DOMAIN_TYPEHASH.slice(2),
    typeHash(DOMAIN_NAME).slice(2),
    typeHash(DOMAIN_VERSION).slice(2),
    uintWord("chainId", domain.chainId),
    addressWord("verifyingContract", domain.verifyingContract),
  );
}

/** The domain in the shape ethers' TypedDataEncoder and wallets take. */
export function typedDataDomain(domain: ChannelDomain): Record<string, unknown> {
  return {
    name: DOMAIN_NAME,
    version: DOMAIN_VERSION,
    chainId: domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}

/** ChannelHashing.hashParties: keccak256(abi.encode(accountA, accountB, signerA, signerB)). */
export function hashParties(parties: Parties): string {
  return hashWords(
    addressWord("accountA", parties.accountA),
    addressWord("accountB", parties.accountB),
    addressWord("signerA", parties.signerA),
    addressWord("signerB", parties.signerB),
  );
}

/** ChannelHashing.hashState: the EIP-712 struct hash of a state. */
export function hashState(state: ChannelState): string {
  return hashWords(
    STATE_TYPEHASH.slice(2),
    uintWord("channelId", state.channelId),
    uintWord("nonce", state.nonce, 64),
    uintWord("depositA", state.depositA),
    uintWord("depositB", state.depositB),
    uintWord("balanceA", state.balanceA),
    uintWord("balanceB", state.balanceB),
    bytes32Word("locksRoot", state.locksRoot),
  );
}

/** ChannelHashing.hashRevocation. */
export function hashRevocation(channelId: bigint, nonce: bigint): string {
  return hashWords(REVOCATION_TYPEHASH.slice(2), uintWord("channelId", channelId), uintWord("nonce", nonce, 64));
}

/** ChannelHashing.hashCooperativeClose. */
export function hashCooperativeClose(channelId: bigint, balanceA: bigint, balanceB: bigint): string {
  return hashWords(
    COOPERATIVE_CLOSE_TYPEHASH.slice(2),
    uintWord("channelId", channelId),
    uintWord("balanceA", balanceA),
    uintWord("balanceB", balanceB),
  );
}

/** ChannelHashing.digest: keccak256("\x19\x01" || domainSeparator || structHash), what is signed. */
export function typedDigest(domainSeparatorHash: string, structHash: string): string {
  return keccakOfHex(`0x1901${domainSeparatorHash.slice(2)}${structHash.slice(2)}`);
}
