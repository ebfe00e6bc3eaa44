/**
 * Baby Jubjub EdDSA-Poseidon keys: what signs L2 operations. A key is derived from 32 bytes of seed (the
 * scenario runner derives one per person from the name); signatures are circomlibjs's signPoseidon, which
 * circomlib's EdDSAPoseidonVerifier checks in the circuit.
 */
import { EncodingError } from "./errors";

/** The slice of circomlibjs's EdDSA this file uses (circomlibjs ships no type declarations). */
interface CircomEddsa {
  F: { e(value: bigint): unknown; toObject(element: unknown): bigint };
  prv2pub(prv: Uint8Array): [unknown, unknown];
  signPoseidon(prv: Uint8Array, msg: unknown): { R8: [unknown, unknown]; S: bigint };
  verifyPoseidon(msg: unknown, sig: { R8: [unknown, unknown]; S: bigint }, pub: [unknown, unknown]): boolean;
}

let eddsaPromise: Promise<CircomEddsa> | undefined;

function eddsa(): Promise<CircomEddsa> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  eddsaPromise ??= (require("circomlibjs") as { buildEddsa(): Promise<CircomEddsa> }).buildEddsa();
  return eddsaPromise;
}

export interface PublicKey {
  ax: bigint;
  ay: bigint;
}

export interface Signature {
  r8x: bigint;
  r8y: bigint;
  s: bigint;
}

export class ZkKey {
  private constructor(
    private readonly seed: Uint8Array,
    readonly publicKey: PublicKey,
    private readonly lib: CircomEddsa,
  ) {}

  /** The key whose private scalar is derived (blake512, as EdDSA does) from 32 bytes of seed. */
  static async fromSeed(seed: Uint8Array): Promise<ZkKey> {
    if (seed.length !== 32) throw new EncodingError(`zk key seed: ${seed.length} bytes, expected 32`);
    const lib = await eddsa();
    const [x, y] = lib.prv2pub(seed);
    return new ZkKey(Uint8Array.from(seed), { ax: lib.F.toObject(x), ay: lib.F.toObject(y) }, lib);
  }

  /** An EdDSA-Poseidon signature of one field element. */
  sign(message: bigint): Signature {
    const sig = this.lib.signPoseidon(this.seed, this.lib.F.e(message));
    return { r8x: this.lib.F.toObject(sig.R8[0]), r8y: this.lib.F.toObject(sig.R8[1]), s: sig.S };
  }
}

/** True when `signature` is `key`'s signature of `message`. */
export async function verifySignature(key: PublicKey, message: bigint, signature: Signature): Promise<boolean> {
  const lib = await eddsa();
  return lib.verifyPoseidon(
    lib.F.e(message),
    { R8: [lib.F.e(signature.r8x), lib.F.e(signature.r8y)], S: signature.s },
    [lib.F.e(key.ax), lib.F.e(key.ay)],
  );
}
