/**
 * Attack: the operator forges a Groth16 proof from the verifier's public constants alone. When the keys have
 * γ = δ (no phase-2 contribution), A = α, B = β, C = −vk_x satisfies the pairing equation
 *   e(A, B) = e(α, β) · e(vk_x, γ) · e(C, δ)
 * for every public input, so a batch that sets any root and pays the operator anything would verify.
 * Written from the attacker's side: vk_x is computed with the BN254 precompiles, the batch is ABI-encoded
 * by hand, and nothing goes through the honest operator.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "fs";
import { AbiCoder, concat, sha256, toBeHex, zeroPadValue } from "ethers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { terminateProver } from "../../../src/zk/prover";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const abi = AbiCoder.defaultAbiCoder();

interface VerificationKeyJson {
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  IC: string[][];
}

async function deployedWithLoot() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [operator, alice] = await hre.ethers.getSigners();
  const deployment = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
  });
  // alice's 3 ETH wait in the deposit queue: the loot.
  await deployment.rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 3n * ETH });
  const vkey = JSON.parse(readFileSync(circuit.artifacts.vkey, "utf8")) as VerificationKeyJson;
  return { ...deployment, operator, alice, vkey };
}

/** ecMul (0x07) and ecAdd (0x06), called as an attacker would: plain eth_call to the precompiles. */
async function g1Mul(p: bigint[], s: bigint): Promise<bigint[]> {
  const out = await hre.ethers.provider.call({
    to: toBeHex(7, 20),
    data: abi.encode(["uint256", "uint256", "uint256"], [p[0], p[1], s]),
  });
  return abi.decode(["uint256", "uint256"], out).map((v) => BigInt(v));
}
async function g1Add(p: bigint[], q: bigint[]): Promise<bigint[]> {
  const out = await hre.ethers.provider.call({
    to: toBeHex(6, 20),
    data: abi.encode(["uint256", "uint256", "uint256", "uint256"], [p[0], p[1], q[0], q[1]]),
  });
  return abi.decode(["uint256", "uint256"], out).map((v) => BigInt(v));
}

/** A = α, B = β, C = −vk_x for the public inputs `inputs`, in the verifier's calldata layout (G2 as [im, re]). */
async function trivialForgery(vkey: VerificationKeyJson, inputs: bigint[]) {
  let vkX = vkey.IC[0].slice(0, 2).map(BigInt);
  for (let i = 0; i < inputs.length; i++)
    vkX = await g1Add(vkX, await g1Mul(vkey.IC[i + 1].slice(0, 2).map(BigInt), inputs[i]));
  const beta = vkey.vk_beta_2.map((c) => c.map(BigInt));
  return {
    a: vkey.vk_alpha_1.slice(0, 2).map(BigInt) as [bigint, bigint],
    b: [
      [beta[0][1], beta[0][0]],
      [beta[1][1], beta[1][0]],
    ] as [[bigint, bigint], [bigint, bigint]],
    c: [vkX[0], (Q - vkX[1]) % Q] as [bigint, bigint],
  };
}

/** One slot, 14 bytes: [type<1>|from<3>|to<3>|amount<5>|fee<2>]; a withdraw of 3 ETH (Float40: 3·10^18) from account 0. */
function stealingOps(): Uint8Array {
  const ops = new Uint8Array(14 * TEST_CIRCUIT.batchSize);
  ops[0] = 3; // WITHDRAW from account 0 (the operator's own, empty, fee account)
  // Float40 amount code: mantissa 3 (35 bits) · 10^18 (exponent 18 in the top 5 bits): (18 << 35) | 3.
  const amountCode = (18n << 35n) | 3n;
  for (let i = 0; i < 5; i++) ops[7 + i] = Number((amountCode >> BigInt(8 * (4 - i))) & 0xffn);
  return ops;
}

/** sha256(oldRoot|newRoot|chainBefore|chainAfter|ops) mod 2^253, as L1 builds the batch's public input. */
function commitment(oldRoot: bigint, newRoot: bigint, ops: Uint8Array): bigint {
  const word = (v: bigint) => zeroPadValue(toBeHex(v), 32);
  return BigInt(sha256(concat([word(oldRoot), word(newRoot), word(0n), word(0n), ops]))) & ((1n << 253n) - 1n);
}

describe("# attack: forged proof (zk)", function () {
  after(terminateProver);

  it("should not accept a batch proven by A = α, B = β, C = −vk_x", async function () {
    const { rollup, operator, vkey } = await loadFixture(deployedWithLoot);
    const newRoot = 42n;
    const ops = stealingOps();
    const input = commitment(await rollup.stateRoot(), newRoot, ops);
    const { a, b, c } = await trivialForgery(vkey, [input, await rollup.domain()]);
    const data = rollup.interface.encodeFunctionData("submitBatch", [newRoot, ops, a, b, c]);
    await expect(operator.sendTransaction({ to: await rollup.getAddress(), data }))
      .to.be.revertedWithCustomError(rollup, "InvalidProof")
      .withArgs(1, input);
    expect(await rollup.stateRoot()).to.not.equal(newRoot);
    // INVARIANT (solvency): the rollup still holds alice's unconsumed deposit.
    expect(await hre.ethers.provider.getBalance(rollup)).to.be.greaterThanOrEqual(3n * ETH);
  });

  it("should not verify the forgery, a proof of another input, or an input at or above r, at the verifier itself", async function () {
    const { addresses, vkey, rollup } = await loadFixture(deployedWithLoot);
    const contract = new hre.ethers.Contract(
      addresses.verifier,
      ["function verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[2]) view returns (bool)"],
      hre.ethers.provider,
    );
    const domain = await rollup.domain();
    const input = 123456789n;
    const forged = await trivialForgery(vkey, [input, domain]);
    expect(await contract.verifyProof(forged.a, forged.b, forged.c, [input, domain])).to.equal(false);
    // The forgery for one input, offered for another.
    expect(await contract.verifyProof(forged.a, forged.b, forged.c, [input + 1n, domain])).to.equal(false);
    // An input congruent modulo r to a forged one is outside the field: refused before any pairing.
    const reduced = await trivialForgery(vkey, [5n, domain]);
    expect(await contract.verifyProof(reduced.a, reduced.b, reduced.c, [5n + R, domain])).to.equal(false);
  });
});
