/**
 * Soundness of Sha256compression's output hint (`out[i] <-- outCalc[i]`), the one `<--` of the Sha256
 * that builds RollupBatch's public input: an honest witness of one compression satisfies every
 * constraint, and changing any output bit, to the other bit or to a non-bit, breaks one. The reference
 * digest is Node's own SHA-256 of one padded block, so the honest witness is also the right hash.
 */
import { expect } from "chai";
import { createHash } from "crypto";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { compileTamperable, type TamperableCircuit } from "./helpers/witness";

/** SHA-256's initial state, FIPS 180-4 §5.3.3. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const bitsOf = (bytes: Buffer): bigint[] =>
  [...bytes].flatMap((byte) => Array.from({ length: 8 }, (_, i) => BigInt((byte >> (7 - i)) & 1)));

describe("# Sha256compression's output hint is constrained", function () {
  this.timeout(300_000);
  let circuit: TamperableCircuit;
  let honest: bigint[];
  const message = Buffer.from("l2lab batch commitment");

  before(async function () {
    circuit = await compileTamperable("sha256_compression_hint");
    // One block: the message, 0x80, zeros, and its length in bits in the last 8 bytes.
    const block = Buffer.alloc(64);
    message.copy(block);
    block[message.length] = 0x80;
    block.writeBigUInt64BE(BigInt(message.length * 8), 56);
    // The template takes the state word by word, least significant bit first (as circomlib's Sha256 feeds it).
    const hin = H0.flatMap((word) => Array.from({ length: 32 }, (_, j) => BigInt((word >>> j) & 1)));
    honest = await circuit.calculator.calculateWitness({ hin, inp: bitsOf(block) }, true);
  });

  after(function () {
    circuit?.dispose();
  });

  const output = (i: number) => circuit.at(`main.out[${i}]`);

  it("should satisfy every constraint with the honest witness, whose output is SHA-256", function () {
    expect(circuit.checker.nConstraints).to.be.greaterThan(20_000);
    expect(circuit.checker.failures(honest)).to.equal(0);
    const digest = createHash("sha256").update(message).digest();
    expect(Array.from({ length: 256 }, (_, i) => honest[output(i)])).to.deep.equal(bitsOf(digest));
  });

  it("should break when any output bit is flipped or set to a non-bit", function () {
    for (let i = 0; i < 256; i++) {
      for (const change of [(b: bigint) => 1n - b, (b: bigint) => (b + 2n) % SNARK_SCALAR_FIELD]) {
        const witness = [...honest];
        witness[output(i)] = change(witness[output(i)]);
        expect(circuit.checker.failuresAfterChange(witness, [output(i)]), `out[${i}]`).to.be.greaterThan(0);
      }
    }
  });
});
