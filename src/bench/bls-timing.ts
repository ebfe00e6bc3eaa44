/**
 * What the BLS12-381 code (src/encoding/bls.ts, noble-curves) costs off-chain per signature: signing, verifying
 * one signature, aggregating, and verifying an aggregate per message. Wall-clock on whatever machine runs it:
 * reported, never asserted.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import { aggregate, hashToG1, publicKey, secretKeyFromSeed, sign, verifyAggregate } from "../encoding/bls";

export interface BlsTiming {
  /** Signatures timed (and messages in the aggregate). */
  signatures: number;
  signMs: number;
  verifyOneMs: number;
  aggregatePerSignatureMs: number;
  aggregateVerifyPerMessageMs: number;
}

/** Times the BLS operations over `n` distinct keys and messages (milliseconds per signature or message). */
export function timeBlsOffChain(n = 64): BlsTiming {
  const dst = new TextEncoder().encode("l2lab timing");
  const keys = Array.from({ length: n }, (_, i) => secretKeyFromSeed(keccak256(toUtf8Bytes(`t${i}`))));
  const pks = keys.map(publicKey);
  const messages = keys.map((_, i) => new TextEncoder().encode(`message ${i}`));
  const ms = (f: () => void) => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  hashToG1(messages[0], dst); // warm up precomputations
  let sigs: ReturnType<typeof sign>[] = [];
  const signMs = ms(() => (sigs = keys.map((k, i) => sign(k, messages[i], dst)))) / n;
  const verified = Math.min(8, n);
  const verifyOneMs =
    ms(() => {
      for (let i = 0; i < verified; i++) verifyAggregate(sigs[i], [messages[i]], [pks[i]], dst);
    }) / verified;
  let agg = sigs[0];
  const aggregatePerSignatureMs = ms(() => (agg = aggregate(sigs))) / n;
  const aggregateVerifyPerMessageMs = ms(() => verifyAggregate(agg, messages, pks, dst)) / n;
  return { signatures: n, signMs, verifyOneMs, aggregatePerSignatureMs, aggregateVerifyPerMessageMs };
}
