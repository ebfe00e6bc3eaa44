import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, FunctionFragment, ParamType, hexlify } from "ethers";
import { fundedFixture } from "./fixtures";
import { describeDeep } from "../support/deep";
import type { OptimisticRollup } from "../../typechain-types";

/**
 * Whether a call that went through did what the function documents, for the functions random calldata can
 * complete: a deposit of msg.value (> 0) to a non-zero L2 key; any commitment; a forced request stored as the
 * request of whichever key its signature recovers to (a no-op unless it owns the account); a batch only from the
 * operator and only in the standard encoding.
 */
function documented(
  rollup: OptimisticRollup,
  fn: FunctionFragment,
  data: string,
  from: string,
  value: bigint,
  operator: string,
): boolean {
  switch (fn.name) {
    case "deposit":
      return value > 0n && BigInt(ethers.dataSlice(data, 4, 36)) !== 0n;
    case "commitFraudProof":
    case "fraudCommitment":
    case "requestForcedWithdrawal":
      return true;
    case "submitBatch": {
      if (from !== operator) return false;
      const args = rollup.interface.decodeFunctionData("submitBatch", data);
      const standard = rollup.interface.encodeFunctionData("submitBatch", [args[0], args[1], args[2], args[3]]);
      return standard === data;
    }
    default:
      return false;
  }
}

/** A random value of ABI type `type`, biased to boundaries (0, 1, max, lengths 0 and off by one). */
function arbValue(type: ParamType, depth = 0): fc.Arbitrary<unknown> {
  if (type.baseType === "array") {
    const child = arbValue(type.arrayChildren!, depth + 1);
    const max = depth > 0 ? 2 : 4;
    return type.arrayLength !== null && type.arrayLength >= 0
      ? fc.array(child, { minLength: type.arrayLength, maxLength: type.arrayLength })
      : fc.array(child, { maxLength: max });
  }
  if (type.baseType === "tuple") return fc.tuple(...type.components!.map((c) => arbValue(c, depth + 1)));
  if (type.baseType === "address")
    return fc.constantFrom(ethers.ZeroAddress, "0x0000000000000000000000000000000000000001", "0x" + "ff".repeat(20));
  if (type.baseType === "bool") return fc.boolean();
  if (type.baseType === "bytes") return fc.uint8Array({ maxLength: 120 }).map((b) => hexlify(b));
  if (type.baseType.startsWith("bytes")) {
    const size = Number(type.baseType.slice(5));
    return fc.uint8Array({ minLength: size, maxLength: size }).map((b) => hexlify(b));
  }
  const bits = Number(type.baseType.replace(/^u?int/, "") || 256);
  const max = (1n << BigInt(bits)) - 1n;
  return fc.oneof(fc.constantFrom(0n, 1n, 2n, 3n, 31n, 32n, 64n, 256n, max, max - 1n), fc.bigInt({ min: 0n, max }));
}

/** Calldata for `fn`: well-typed random arguments, then maybe truncated, extended or with a word flipped. */
function arbCalldata(fn: FunctionFragment): fc.Arbitrary<string> {
  const args = fc.tuple(...fn.inputs.map((input) => arbValue(input)));
  const mangle = fc.oneof(
    fc.constant({ kind: "as-is" as const }),
    fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat() }),
    fc.record({ kind: fc.constant("extend" as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    fc.record({
      kind: fc.constant("flip" as const),
      word: fc.nat(),
      value: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    }),
  );
  return fc.tuple(args, mangle).map(([values, how]) => {
    const body = fn.inputs.length === 0 ? "0x" : AbiCoder.defaultAbiCoder().encode(fn.inputs, values);
    let bytes = ethers.getBytes(body);
    if (how.kind === "truncate") bytes = bytes.slice(0, bytes.length === 0 ? 0 : how.keep % bytes.length);
    if (how.kind === "extend") bytes = ethers.getBytes(ethers.concat([bytes, how.extra]));
    if (how.kind === "flip" && bytes.length >= 32) {
      const at = (how.word % Math.floor(bytes.length / 32)) * 32;
      bytes = ethers.getBytes(ethers.concat([bytes.slice(0, at), ethers.toBeHex(how.value, 32), bytes.slice(at + 32)]));
    }
    return ethers.concat([fn.selector, bytes]);
  });
}

/** What the contract answered: success, an empty revert (the ABI decoder), a custom error, or a panic. */
async function answer(to: string, from: string, data: string, value: bigint): Promise<{ kind: string; name?: string }> {
  try {
    await ethers.provider.send("eth_call", [{ to, from, data, value: ethers.toQuantity(value) }, "latest"]);
    return { kind: "success" };
  } catch (error) {
    const e = error as { data?: string | { data?: string }; message?: string };
    const raw = typeof e.data === "string" ? e.data : (e.data?.data ?? "");
    if (raw === "0x" || raw === "") return { kind: "empty", name: e.message };
    if (raw.startsWith("0x4e487b71")) return { kind: "panic", name: raw };
    return { kind: "error", name: raw.slice(0, 10) };
  }
}

/** Fuzzes every external function with `numRuns` calldata each, from a random or the operator's account. */
async function fuzzEveryFunction(numRuns: number): Promise<void> {
  const { rollup, opSigner, l1 } = await loadFixture(fundedFixture);
  const to = await rollup.getAddress();
  const known = new Set(
    rollup.interface.fragments
      .filter((f) => f.type === "error")
      .map((f) => (f as unknown as { selector: string }).selector),
  );
  const functions = rollup.interface.fragments.filter((f): f is FunctionFragment => f.type === "function");
  const mutating = functions.filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure");
  let calls = 0;
  for (const fn of functions) {
    await fc.assert(
      fc.asyncProperty(arbCalldata(fn), fc.boolean(), fc.constantFrom(0n, 1n), async (data, asOperator, value) => {
        const from = asOperator ? opSigner.address : l1[0].address;
        const payable = fn.stateMutability === "payable" ? value : 0n;
        const result = await answer(to, from, data, payable);
        calls++;
        expect(result.kind, `${fn.name}(${data.slice(0, 80)}…): ${result.name}`).to.not.equal("panic");
        if (result.kind === "error")
          expect(known.has(result.name!), `${fn.name}: unknown error ${result.name}`).to.equal(true);
        if (result.kind === "success" && mutating.includes(fn)) {
          const ok = documented(rollup, fn, data, from, payable, opSigner.address);
          expect(ok, `${fn.name} accepted random calldata: ${data.slice(0, 80)}…`).to.equal(true);
        }
      }),
      { numRuns },
    );
  }
  console.log(`      ${calls} calls over ${functions.length} functions`);
}

describe("# OptimisticRollup calldata fuzzing", function () {
  this.timeout(600_000);

  it("should answer every external function's random, boundary and mangled calldata with a revert or its documented effect, never a panic (25 runs each)", async function () {
    await fuzzEveryFunction(25);
  });
});

describeDeep("# OptimisticRollup calldata fuzzing (200 runs per function)", function () {
  this.timeout(1_800_000);

  it("should answer every external function's random, boundary and mangled calldata with a revert or its documented effect, never a panic", async function () {
    await fuzzEveryFunction(200);
  });
});
