/**
 * Packed layouts, decoders and signed digests of the optimistic rollup's L2
 * transactions, mirrored from contracts/libraries/TxCodec.sol.
 *
 *   deposit  (0x01)  [type<1>|to<4>]                                                     5 bytes
 *   transfer (0x02)  [type<1>|from<4>|to<4>|amount<5>|fee<2>|nonce<4>|sig<65>]           85 bytes
 *   withdraw (0x03)  [type<1>|from<4>|recipient<20>|amount<5>|fee<2>|nonce<4>|sig<65>]  101 bytes
 *   forced   (0x04)  [type<1>]                                                            1 byte
 *   register (0x05)  [type<1>|index<4>|owner<20>]                                        25 bytes
 *
 * sig<65> = [r<32>|s<32>|v<1>] with v = 27 or 28 and s in the lower half of the
 * curve order. amount<5> and fee<2> are the decimal floats of ./amount.ts.
 * Digests follow EIP-712 with the domain (name "l2lab optimistic rollup",
 * version "1", chainId, rollup address), so ethers' TypedDataEncoder gives the
 * same hashes (the tests check it); here they are computed directly for speed.
 */
import { getAddress, SigningKey, recoverAddress, Signature, id as textHash } from "ethers";
import { decodeAmount, decodeFee, encodeAmount, encodeFee } from "./amount";
import { keccakBytes } from "./keccak";

export const TX_TYPE = { deposit: 0x01, transfer: 0x02, withdraw: 0x03, "forced-exit": 0x04, register: 0x05 } as const;
export const TX_LENGTH = { deposit: 5, transfer: 85, withdraw: 101, "forced-exit": 1, register: 25 } as const;
export const SIGNATURE_BYTES = 65;
const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface DepositTx {
  type: "deposit";
  /** The account credited; owner and amount come from the L1 deposit queue entry it consumes. */
  to: number;
}

export interface TransferTx {
  type: "transfer";
  from: number;
  to: number;
  amount: bigint;
  fee: bigint;
  nonce: number;
  /** 65 bytes [r|s|v] as 0x-hex. */
  signature: string;
}

export interface WithdrawTx {
  type: "withdraw";
  from: number;
  /** The L1 address paid when the exit is claimed. */
  recipient: string;
  amount: bigint;
  fee: bigint;
  nonce: number;
  signature: string;
}

export interface ForcedExitTx {
  type: "forced-exit";
}

/** Opens an empty account for an L2 key, so it can be paid before it ever deposits. */
export interface RegisterTx {
  type: "register";
  index: number;
  /** Address of the L2 key that will own the account. */
  owner: string;
}

export type L2Tx = DepositTx | TransferTx | WithdrawTx | ForcedExitTx | RegisterTx;
export type TxType = L2Tx["type"];

/** Bytes that do not hold whole, well-formed transactions; `offset` is where decoding stopped. */
export class TxDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "TxDecodeError";
  }
}

/** A transaction's fields cannot be packed. */
export class TxEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TxEncodeError";
  }
}

function checkUint32(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new TxEncodeError(`${what} ${value} does not fit 4 bytes`);
  }
}

function writeAmount(out: Buffer, offset: number, value: bigint): void {
  const packed = encodeAmount(value);
  out.writeUInt8(Number(packed >> 32n), offset);
  out.writeUInt32BE(Number(packed & 0xffffffffn), offset + 1);
}

function readAmount(data: Buffer, offset: number): bigint {
  return decodeAmount((BigInt(data[offset]) << 32n) | BigInt(data.readUInt32BE(offset + 1)));
}

function signatureBytes(what: string, signature: string): Buffer {
  const bytes = Buffer.from(signature.startsWith("0x") ? signature.slice(2) : signature, "hex");
  if (bytes.length !== SIGNATURE_BYTES) {
    throw new TxEncodeError(`${what}: signature has ${bytes.length} bytes, expected ${SIGNATURE_BYTES}`);
  }
  return bytes;
}

/** The packed bytes of one transaction. */
export function encodeTx(tx: L2Tx): Buffer {
  switch (tx.type) {
    case "deposit": {
      checkUint32("deposit: to", tx.to);
      const out = Buffer.alloc(TX_LENGTH.deposit);
      out[0] = TX_TYPE.deposit;
      out.writeUInt32BE(tx.to, 1);
      return out;
    }
    case "transfer": {
      checkUint32("transfer: from", tx.from);
      checkUint32("transfer: to", tx.to);
      checkUint32("transfer: nonce", tx.nonce);
      const out = Buffer.alloc(TX_LENGTH.transfer);
      out[0] = TX_TYPE.transfer;
      out.writeUInt32BE(tx.from, 1);
      out.writeUInt32BE(tx.to, 5);
      writeAmount(out, 9, tx.amount);
      out.writeUInt16BE(encodeFee(tx.fee), 14);
      out.writeUInt32BE(tx.nonce, 16);
      signatureBytes("transfer", tx.signature).copy(out, 20);
      return out;
    }
    case "withdraw": {
      checkUint32("withdraw: from", tx.from);
      checkUint32("withdraw: nonce", tx.nonce);
      const out = Buffer.alloc(TX_LENGTH.withdraw);
      out[0] = TX_TYPE.withdraw;
      out.writeUInt32BE(tx.from, 1);
      Buffer.from(addressWord("withdraw: recipient", tx.recipient).slice(2), "hex").copy(out, 5);
      writeAmount(out, 25, tx.amount);
      out.writeUInt16BE(encodeFee(tx.fee), 30);
      out.writeUInt32BE(tx.nonce, 32);
      signatureBytes("withdraw", tx.signature).copy(out, 36);
      return out;
    }
    case "forced-exit":
      return Buffer.from([TX_TYPE["forced-exit"]]);
    case "register": {
      checkUint32("register: index", tx.index);
      const out = Buffer.alloc(TX_LENGTH.register);
      out[0] = TX_TYPE.register;
      out.writeUInt32BE(tx.index, 1);
      Buffer.from(addressWord("register: owner", tx.owner).slice(2), "hex").copy(out, 5);
      return out;
    }
  }
}

/** The packed bytes of a list of transactions, back to back. */
export function encodeTxs(txs: readonly L2Tx[]): Buffer {
  return Buffer.concat(txs.map(encodeTx));
}

const TYPE_BY_BYTE = new Map<number, TxType>(Object.entries(TX_TYPE).map(([k, v]) => [v, k as TxType]));

/** Decodes the single transaction at `offset`; throws TxDecodeError when it is unknown or truncated. */
export function decodeTxAt(data: Buffer, offset: number): { tx: L2Tx; length: number } {
  const type = TYPE_BY_BYTE.get(data[offset]);
  if (type === undefined) {
    throw new TxDecodeError(`tx at byte ${offset}: unknown type byte 0x${data[offset]?.toString(16)}`, offset);
  }
  const length = TX_LENGTH[type];
  if (offset + length > data.length) {
    throw new TxDecodeError(
      `tx at byte ${offset}: ${type} needs ${length} bytes, only ${data.length - offset} left (truncated)`,
      offset,
    );
  }
  switch (type) {
    case "deposit":
      return { tx: { type, to: data.readUInt32BE(offset + 1) }, length };
    case "transfer":
      return {
        tx: {
          type,
          from: data.readUInt32BE(offset + 1),
          to: data.readUInt32BE(offset + 5),
          amount: readAmount(data, offset + 9),
          fee: decodeFee(data.readUInt16BE(offset + 14)),
          nonce: data.readUInt32BE(offset + 16),
          signature: "0x" + data.toString("hex", offset + 20, offset + 85),
        },
        length,
      };
    case "withdraw":
      return {
        tx: {
          type,
          from: data.readUInt32BE(offset + 1),
          recipient: getAddress("0x" + data.toString("hex", offset + 5, offset + 25)),
          amount: readAmount(data, offset + 25),
          fee: decodeFee(data.readUInt16BE(offset + 30)),
          nonce: data.readUInt32BE(offset + 32),
          signature: "0x" + data.toString("hex", offset + 36, offset + 101),
        },
        length,
      };
    case "forced-exit":
      return { tx: { type }, length };
    case "register":
      return {
        tx: {
          type,
          index: data.readUInt32BE(offset + 1),
          owner: getAddress("0x" + data.toString("hex", offset + 5, offset + 25)),
        },
        length,
      };
  }
}

/** Decodes back-to-back transactions; throws TxDecodeError naming the first byte that does not decode. */
export function decodeTxs(bytes: Uint8Array): L2Tx[] {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const txs: L2Tx[] = [];
  let offset = 0;
  while (offset < data.length) {
    const { tx, length } = decodeTxAt(data, offset);
    txs.push(tx);
    offset += length;
  }
  return txs;
}

// ---------------------------------------------------------------- digests

const DOMAIN_TYPEHASH = Buffer.from(
  textHash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)").slice(2),
  "hex",
);
export const DOMAIN_NAME = "l2lab optimistic rollup";
export const DOMAIN_VERSION = "1";
const TRANSFER_TYPEHASH = hashText("Transfer(uint32 from,uint32 to,uint256 amount,uint256 fee,uint32 nonce)");
const WITHDRAW_TYPEHASH = hashText("Withdraw(uint32 from,address recipient,uint256 amount,uint256 fee,uint32 nonce)");
const FORCED_TYPEHASH = hashText("ForcedWithdrawal(uint32 account,address recipient,uint256 amount,uint256 nonce)");
const ESCAPE_TYPEHASH = hashText("Escape(uint32 account,address recipient)");

/** EIP-712 type definitions, for wallets that sign typed data (ethers' signTypedData). */
export const EIP712_TYPES = {
  Transfer: [
    { name: "from", type: "uint32" },
    { name: "to", type: "uint32" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "nonce", type: "uint32" },
  ],
  Withdraw: [
    { name: "from", type: "uint32" },
    { name: "recipient", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "nonce", type: "uint32" },
  ],
  ForcedWithdrawal: [
    { name: "account", type: "uint32" },
    { name: "recipient", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "requestIndex", type: "uint256" },
  ],
  Escape: [
    { name: "account", type: "uint32" },
    { name: "recipient", type: "address" },
  ],
} as const;

/** Checks an address's shape without the checksum hashing getAddress does (hot path). */
function addressWord(what: string, address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new TxEncodeError(`${what}: "${address}" is not an address`);
  return address;
}

function hashText(text: string): Buffer {
  return keccakBytes(Buffer.from(text, "utf8"));
}

/** abi.encode of 32-byte words: each bigint, address or 32-byte buffer fills one word. */
function abiWords(words: (bigint | number | string | Buffer)[]): Buffer {
  const out = Buffer.alloc(32 * words.length);
  words.forEach((word, i) => {
    if (Buffer.isBuffer(word)) word.copy(out, 32 * i);
    else if (typeof word === "string") Buffer.from(word.slice(2), "hex").copy(out, 32 * i + 12);
    else {
      const v = BigInt(word);
      out.writeBigUInt64BE((v >> 192n) & 0xffffffffffffffffn, 32 * i);
      out.writeBigUInt64BE((v >> 128n) & 0xffffffffffffffffn, 32 * i + 8);
      out.writeBigUInt64BE((v >> 64n) & 0xffffffffffffffffn, 32 * i + 16);
      out.writeBigUInt64BE(v & 0xffffffffffffffffn, 32 * i + 24);
    }
  });
  return out;
}

function typedDigest(domain: Buffer, structHash: Buffer): Buffer {
  return keccakBytes(Buffer.concat([Buffer.from([0x19, 0x01]), domain, structHash]));
}

/** The EIP-712 domain separator binding signatures to one chain and one rollup contract. */
export function domainSeparator(chainId: bigint, rollup: string): Buffer {
  return keccakBytes(
    abiWords([
      DOMAIN_TYPEHASH,
      hashText(DOMAIN_NAME),
      hashText(DOMAIN_VERSION),
      chainId,
      addressWord("rollup", rollup),
    ]),
  );
}

/** The digest the sender's L2 key signs for a transfer (the signature field is ignored). */
export function transferDigest(domain: Buffer, t: Omit<TransferTx, "type" | "signature">): Buffer {
  return typedDigest(domain, keccakBytes(abiWords([TRANSFER_TYPEHASH, t.from, t.to, t.amount, t.fee, t.nonce])));
}

/** The digest the sender's L2 key signs for a withdrawal. */
export function withdrawDigest(domain: Buffer, w: Omit<WithdrawTx, "type" | "signature">): Buffer {
  return typedDigest(
    domain,
    keccakBytes(
      abiWords([WITHDRAW_TYPEHASH, w.from, addressWord("withdraw recipient", w.recipient), w.amount, w.fee, w.nonce]),
    ),
  );
}

/**
 * The digest an account's L2 key signs to ask L1 for a forced withdrawal: `nonce` is the number of forced requests
 * `recipient` (the L1 account that sends it) made before (OptimisticRollup.forcedNonce).
 */
export function forcedWithdrawalDigest(
  domain: Buffer,
  account: number,
  recipient: string,
  amount: bigint,
  nonce: bigint,
): Buffer {
  return typedDigest(
    domain,
    keccakBytes(abiWords([FORCED_TYPEHASH, account, addressWord("recipient", recipient), amount, nonce])),
  );
}

/** The digest an account's L2 key signs to escape its balance from a frozen rollup. */
export function escapeDigest(domain: Buffer, account: number, recipient: string): Buffer {
  return typedDigest(domain, keccakBytes(abiWords([ESCAPE_TYPEHASH, account, addressWord("recipient", recipient)])));
}

/** Signs a 32-byte digest with an L2 key: 65 bytes [r|s|v] as 0x-hex (no RPC, a few hundred microseconds). */
export function signDigest(key: SigningKey, digest: Buffer): string {
  return key.sign(digest).serialized;
}

interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

function loadSecp256k1(): NativeSecp256k1 | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("secp256k1") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}
const secp = loadSecp256k1();

/**
 * The lower-case address that signed `digest`, or null when the signature is malformed, malleable (high s,
 * v not 27/28) or recovers no key: exactly the cases where TxCodec.recover returns address(0).
 */
export function recoverSigner(digest: Buffer, signature: string): string | null {
  const sig = Buffer.from(signature.slice(2), "hex");
  if (sig.length !== SIGNATURE_BYTES) return null;
  const v = sig[64];
  if (v !== 27 && v !== 28) return null;
  const s = BigInt("0x" + sig.toString("hex", 32, 64));
  if (s > HALF_CURVE_ORDER) return null;
  try {
    if (secp) {
      const pub = secp.ecdsaRecover(sig.subarray(0, 64), v - 27, digest, false);
      return "0x" + keccakBytes(pub.subarray(1)).toString("hex", 12);
    }
    return recoverAddress(digest, Signature.from(signature)).toLowerCase();
  } catch {
    return null;
  }
}
