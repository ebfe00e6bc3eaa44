/**
 * Reads a circom .r1cs file into what the zkey writer needs: the header and,
 * for every constraint, its three linear combinations A·w, B·w, C·w.
 *
 * Header (section 1):  [n8<4>|prime<n8>|nVars<4>|nOutputs<4>|nPubInputs<4>|nPrvInputs<4>|nLabels<8>|nConstraints<4>]
 * Constraint (section 2), three times (A, B, C): [nTerms<4>] then per term [signal<4>|coefficient<n8>]
 * (little-endian; coefficients in standard form, not Montgomery).
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { BinFileReader } from "./binfile-reader";
import { CeremonyFileError } from "./errors";
import { FR_MODULUS, readScalarLE } from "./field";

export interface R1csHeader {
  n8: number;
  prime: bigint;
  nVars: number;
  nOutputs: number;
  nPubInputs: number;
  nPrvInputs: number;
  nLabels: bigint;
  nConstraints: number;
}

export interface R1csFile {
  header: R1csHeader;
  /** The raw constraints section: the zkey copies coefficient bytes from it. */
  constraints: Buffer;
}

export async function readR1cs(path: string): Promise<R1csFile> {
  const file = await BinFileReader.open(path, "r1cs");
  try {
    const h = await file.read(1);
    const n8 = h.readUInt32LE(0);
    if (n8 !== 32) throw new CeremonyFileError(path, `field elements of ${n8} bytes; only BN254 (32) is supported`);
    const prime = readScalarLE(h, 4);
    if (prime !== FR_MODULUS) throw new CeremonyFileError(path, `prime ${prime} is not the BN254 scalar field`);
    let o = 4 + n8;
    const header: R1csHeader = {
      n8,
      prime,
      nVars: h.readUInt32LE(o),
      nOutputs: h.readUInt32LE(o + 4),
      nPubInputs: h.readUInt32LE(o + 8),
      nPrvInputs: h.readUInt32LE(o + 12),
      nLabels: h.readBigUInt64LE(o + 16),
      nConstraints: h.readUInt32LE(o + 24),
    };
    o += 28;
    if (o !== h.length) throw new CeremonyFileError(path, `header section is ${h.length} bytes, expected ${o}`);
    if (file.has(4) || file.has(5)) {
      throw new CeremonyFileError(path, "uses custom gates (PLONK only); Groth16 needs plain constraints");
    }
    return { header, constraints: await file.read(2) };
  } finally {
    await file.close();
  }
}

/** One term of a linear combination; `coefOffset` points at its coefficient bytes in the section. */
export interface Term {
  signal: number;
  coef: bigint;
  coefOffset: number;
}

/**
 * Calls `visit(c, matrix, terms)` for every constraint c and matrix 0 (A), 1 (B), 2 (C), in file order.
 */
export function forEachConstraint(
  r1cs: R1csFile,
  visit: (constraint: number, matrix: 0 | 1 | 2, terms: Term[]) => void,
  path = "r1cs",
): void {
  const buf = r1cs.constraints;
  const { nConstraints, nVars, n8 } = r1cs.header;
  let pos = 0;
  for (let c = 0; c < nConstraints; c++) {
    for (const matrix of [0, 1, 2] as const) {
      if (pos + 4 > buf.length) throw new CeremonyFileError(path, `constraints section ends inside constraint ${c}`);
      const n = buf.readUInt32LE(pos);
      pos += 4;
      const terms: Term[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const signal = buf.readUInt32LE(pos);
        if (signal >= nVars)
          throw new CeremonyFileError(path, `constraint ${c} uses signal ${signal} >= nVars ${nVars}`);
        terms[i] = { signal, coef: readScalarLE(buf, pos + 4), coefOffset: pos + 4 };
        pos += 4 + n8;
      }
      visit(c, matrix, terms);
    }
  }
  if (pos !== buf.length)
    throw new CeremonyFileError(path, `constraints section has ${buf.length - pos} trailing bytes`);
}
