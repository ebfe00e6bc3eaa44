/**
 * The account leaf of the optimistic rollup's keccak state tree, mirrored from
 * contracts/libraries/AccountCodec.sol.
 *
 *   [index<4>|owner<20>|balance<16>|nonce<4>]   44 bytes; leaf = keccak256 of them
 *
 * An account that does not exist is the empty leaf 0; an existing account has a
 * non-zero owner, the address of the L2 key that signs for it.
 */
import { getAddress, ZeroAddress } from "ethers";
import { keccakBytes } from "./keccak";

export interface Account {
  index: number;
  /** Checksummed address of the L2 key bound to the account (ZeroAddress: the account does not exist). */
  owner: string;
  balance: bigint;
  nonce: number;
}

export const ACCOUNT_BYTES = 44;
export const MAX_BALANCE = (1n << 128n) - 1n;
export const MAX_ACCOUNT_INDEX = 0xffffffff;
export const MAX_NONCE = 0xffffffff;

export class AccountEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountEncodingError";
  }
}

/** The account that does not exist at `index` (its leaf is 0). */
export function emptyAccount(index: number): Account {
  return { index, owner: ZeroAddress, balance: 0n, nonce: 0 };
}

export function accountExists(account: Account): boolean {
  return account.owner !== ZeroAddress;
}

/** The 44 packed bytes of `account`. */
export function encodeAccount(account: Account): Buffer {
  const { index, balance, nonce } = account;
  if (!Number.isInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX) {
    throw new AccountEncodingError(`account index ${index} does not fit 4 bytes`);
  }
  if (balance < 0n || balance > MAX_BALANCE) {
    throw new AccountEncodingError(`account ${index}: balance ${balance} wei does not fit 16 bytes`);
  }
  if (!Number.isInteger(nonce) || nonce < 0 || nonce > MAX_NONCE) {
    throw new AccountEncodingError(`account ${index}: nonce ${nonce} does not fit 4 bytes`);
  }
  const out = Buffer.alloc(ACCOUNT_BYTES);
  out.writeUInt32BE(index, 0);
  Buffer.from(account.owner.slice(2), "hex").copy(out, 4);
  out.writeBigUInt64BE(balance >> 64n, 24);
  out.writeBigUInt64BE(balance & 0xffffffffffffffffn, 32);
  out.writeUInt32BE(nonce, 40);
  return out;
}

/** Reads back the 44 packed bytes of an account. */
export function decodeAccount(bytes: Uint8Array): Account {
  if (bytes.length !== ACCOUNT_BYTES) {
    throw new AccountEncodingError(`account bytes: expected ${ACCOUNT_BYTES}, got ${bytes.length}`);
  }
  const b = Buffer.from(bytes);
  return {
    index: b.readUInt32BE(0),
    owner: getAddress("0x" + b.subarray(4, 24).toString("hex")),
    balance: (b.readBigUInt64BE(24) << 64n) | b.readBigUInt64BE(32),
    nonce: b.readUInt32BE(40),
  };
}

const ZERO_LEAF = Buffer.alloc(32);

/** The tree leaf of `account`: keccak256 of its bytes, or 32 zero bytes when it does not exist. */
export function hashAccount(account: Account): Buffer {
  if (!accountExists(account)) return ZERO_LEAF;
  return keccakBytes(encodeAccount(account));
}
