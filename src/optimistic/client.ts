/**
 * What a user's wallet does off-chain: sign transfers, withdrawals, forced
 * withdrawal requests and escapes with the L2 key bound to the account.
 * Signing is local (ethers SigningKey on the digest), no RPC.
 */
import type { SigningKey } from "ethers";
import {
  TransferTx,
  WithdrawTx,
  escapeDigest,
  forcedWithdrawalDigest,
  signDigest,
  transferDigest,
  withdrawDigest,
} from "../encoding/tx";
import { BlsTransferTx, SignedBlsTransfer, blsTransferMessage } from "../encoding/bls-tx";
import { encodeSignature, sign as blsSign } from "../encoding/bls";

export function signTransfer(
  domain: Buffer,
  key: SigningKey,
  fields: Omit<TransferTx, "type" | "signature">,
): TransferTx {
  return { type: "transfer", ...fields, signature: signDigest(key, transferDigest(domain, fields)) };
}

export function signWithdraw(
  domain: Buffer,
  key: SigningKey,
  fields: Omit<WithdrawTx, "type" | "signature">,
): WithdrawTx {
  return { type: "withdraw", ...fields, signature: signDigest(key, withdrawDigest(domain, fields)) };
}

export function signForcedWithdrawal(
  domain: Buffer,
  key: SigningKey,
  account: number,
  recipient: string,
  amount: bigint,
  /** OptimisticRollup.forcedNonce(recipient): the requests `recipient` sent before. */
  nonce: bigint,
): string {
  return signDigest(key, forcedWithdrawalDigest(domain, account, recipient, amount, nonce));
}

export function signEscape(domain: Buffer, key: SigningKey, account: number, recipient: string): string {
  return signDigest(key, escapeDigest(domain, account, recipient));
}

/**
 * BLS variant: a transfer and its own BLS signature (compact G1, 96 bytes) over its message at `nonce`, the sender's
 * next nonce. The operator adds it into its chunk's aggregate; the nonce is not sent, only signed.
 */
export function signBlsTransfer(
  txTag: Uint8Array,
  secretKey: bigint,
  fields: Omit<BlsTransferTx, "type">,
  nonce: number,
): SignedBlsTransfer {
  const signature = encodeSignature(blsSign(secretKey, blsTransferMessage(fields, nonce), txTag));
  return { type: "bls-transfer", ...fields, signature };
}
