import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { concat, dataSlice, getBytes, hexlify, toBeHex, zeroPadValue, type Interface } from "ethers";
import { fundedFixture } from "../fixtures";
import { emptyExitRoot, expectSolvent, submitBatchData, type RawChunkState } from "./attacker";
import type { OptimisticRollup } from "../../../typechain-types";
import { batchRecord } from "../../../src/optimistic/records";

/**
 * submitBatch takes only the standard ABI encoding of its arguments, checked in place (OptimisticRollup
 * _requireStandardEncoding): Solidity's decoder accepts gaps, shared or reordered tails, dirty padding and trailing
 * bytes, which a strict decoder (the watcher's) refuses. Each encoding below decodes in Solidity to the same
 * arguments as the standard one and must be refused, at the byte where it departs.
 */

/** Byte offsets in submitBatch's input for two chunks (selector, 4 head words, then the chunks' tail). */
const ARRAY_START = 4 + 5 * 32;
const CHUNK_0 = "0x" + "ab".repeat(45); // 45 bytes: 19 bytes of padding
const CHUNK_1 = "0x" + "cd".repeat(70);

async function standardBatch(rollup: OptimisticRollup, chunks = [CHUNK_0, CHUNK_1]) {
  const tip = await batchRecord(rollup, await rollup.tipId());
  const chunkSize = Number(await rollup.CHUNK_SIZE());
  const state = (i: number): RawChunkState => ({
    stateRoot: hre.ethers.keccak256(hre.ethers.toUtf8Bytes(`state ${i}`)),
    exitRoot: emptyExitRoot(chunkSize),
    depositCursor: tip.depositEnd,
    forcedCursor: tip.forcedEnd,
  });
  return submitBatchData(
    rollup,
    chunks,
    chunks.map((_, i) => state(i)),
    await rollup.OPERATOR(),
    0,
  );
}

/** The error L1 answers `data` with, from a call that changes nothing ("" when it would be accepted). */
async function refusal(rollup: OptimisticRollup, from: string, data: string): Promise<string> {
  try {
    await hre.ethers.provider.call({ from, to: await rollup.getAddress(), data });
    return "";
  } catch (error) {
    const revert = (error as { data?: string }).data ?? "0x";
    if (revert === "0x") return "empty revert";
    const parsed = rollup.interface.parseError(revert);
    return parsed ? `${parsed.name}(${parsed.args.join(", ")})` : `unknown ${revert}`;
  }
}

function splice(data: string, at: number, remove: number, insert: string = "0x"): string {
  const bytes = getBytes(data);
  return hexlify(concat([bytes.slice(0, at), getBytes(insert), bytes.slice(at + remove)]));
}

function setWord(data: string, at: number, value: bigint): string {
  return splice(data, at, 32, zeroPadValue(toBeHex(value), 32));
}

describe("# attack: non-standard encodings of submitBatch", function () {
  it("should accept the standard encoding (the control)", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const data = await standardBatch(rollup);
    expect(await refusal(rollup, opSigner.address, data)).to.equal("");
  });

  it("should refuse each encoding the decoder accepts but the standard one is not, at the byte it departs", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const data = await standardBatch(rollup);
    const length = getBytes(data).length;
    const offset1 = ARRAY_START + 32; // chunk 1's offset word
    const chunk0Padding = ARRAY_START + 2 * 32 + 32 + 45; // chunk 0's first padding byte
    const statesOffset = BigInt(dataSlice(data, 4 + 32, 4 + 64));
    const cases: [string, string, string][] = [
      ["a dirty padding byte", splice(data, chunk0Padding + 10, 1, "0x01"), `NonStandardCalldata(${chunk0Padding})`],
      ["a trailing byte", concat([data, "0x00"]), `NonStandardCalldata(${length})`],
      [
        // 32 zero bytes between the chunks, chunk 1's offset and the states' offset moved past them
        "a gap between chunks",
        setWord(
          setWord(
            splice(data, ARRAY_START + 2 * 32 + 32 + 64, 0, "0x" + "00".repeat(32)),
            offset1,
            BigInt(dataSlice(data, offset1, offset1 + 32)) + 32n,
          ),
          4 + 32,
          statesOffset + 32n,
        ),
        `NonStandardCalldata(${offset1})`,
      ],
      // chunk 1 read from chunk 0's bytes: both chunks decode as CHUNK_0
      ["two chunks sharing one tail", setWord(data, offset1, 64n), `NonStandardCalldata(${offset1})`],
      [
        // 32 zero bytes before the states, their offset moved past them
        "a gap before the states",
        setWord(splice(data, 4 + Number(statesOffset), 0, "0x" + "00".repeat(32)), 4 + 32, statesOffset + 32n),
        `NonStandardCalldata(${4 + 32})`,
      ],
    ];
    for (const [what, odd, expected] of cases) {
      expect(await refusal(rollup, opSigner.address, odd), what).to.equal(expected);
    }
    await expectSolvent(rollup);
  });

  it("should refuse dirty high bits in a cursor and in the fee account", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const data = await standardBatch(rollup);
    const statesStart = 4 + Number(BigInt(dataSlice(data, 4 + 32, 4 + 64))) + 32;
    const cursorWord = statesStart + 2 * 32; // chunk 0's depositCursor
    const dirtyCursor = splice(data, cursorWord, 1, "0x01");
    const dirtyFeeAccount = splice(data, 4 + 3 * 32, 1, "0x01");
    for (const [what, odd] of [
      ["cursor", dirtyCursor],
      ["fee account", dirtyFeeAccount],
    ]) {
      expect(await refusal(rollup, opSigner.address, odd), what).to.not.equal("");
    }
  });

  it("should take a changed input only when the strict decoder reads it back byte for byte (property)", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const data = await standardBatch(rollup);
    const length = getBytes(data).length;
    const iface: Interface = rollup.interface;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: length - 5 }).map((n) => n + 4),
        fc.constantFrom("set", "insert", "delete"),
        fc.integer({ min: 0, max: 255 }),
        async (at, change, value) => {
          const byte = "0x" + value.toString(16).padStart(2, "0");
          const odd =
            change === "set"
              ? splice(data, at, 1, byte)
              : change === "insert"
                ? splice(data, at, 0, byte)
                : splice(data, at, 1);
          if ((await refusal(rollup, opSigner.address, odd)) !== "") return;
          // INVARIANT: an input L1 takes is the standard encoding of what it decodes to, so the watcher reads it.
          const decoded = iface.decodeFunctionData("submitBatch", odd);
          expect(iface.encodeFunctionData("submitBatch", [...decoded])).to.equal(odd.toLowerCase());
        },
      ),
      { numRuns: 150 },
    );
  });
});
