/**
 * Proofs made with the ceremony's keys verify in snarkjs and on L1 through the verifier `zk:setup` generates
 * and compiles; the two modes: fresh random secrets by default (new keys in every cache, delta not gamma) and
 * the deterministic development keys (INSECURE, public beacon: the same bytes in every cache, fast or stock).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ethers } from "hardhat";
import { ContractFactory } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { readVerifierArtifact, setupCircuit, type SetupOptions } from "../../src/zk/ceremony/artifacts";
import { FR_MODULUS } from "../../src/zk/ceremony/field";
import { snarkjsApi } from "../../src/zk/ceremony/snarkjs-api";

const { groth16 } = snarkjsApi();

const CIRCUIT = "test/ceremony_small";
const workDir = mkdtempSync(join(tmpdir(), "l2lab-ceremony-proof-"));

/** salt = 5, secret = 7, amount = 1000: tag = 7·7·1000 + 5 = 49005. */
const INPUT = { salt: "5", secret: "7", amount: "1000" };

interface VkeyJson {
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
}

async function provedSmallCircuit() {
  const artifacts = await setupCircuit(CIRCUIT);
  const { proof, publicSignals } = await groth16.fullProve(INPUT, artifacts.wasm, artifacts.zkey);
  const vkey = JSON.parse(readFileSync(artifacts.vkey, "utf8")) as unknown;
  const [signer] = await ethers.getSigners();
  const compiled = readVerifierArtifact(artifacts.verifierArtifact);
  const verifier = new ethers.Contract(
    await (await new ContractFactory(compiled.abi, compiled.bytecode, signer).deploy()).getAddress(),
    ["function verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[2]) view returns (bool)"],
    ethers.provider,
  );
  const [a, b, c, pub] = JSON.parse(`[${await groth16.exportSolidityCallData(proof, publicSignals)}]`) as [
    [string, string],
    [[string, string], [string, string]],
    [string, string],
    [string, string],
  ];
  return { artifacts, proof, publicSignals, vkey, verifier, calldata: { a, b, c, pub } };
}

/** Sets up the small circuit in an empty cache of its own. */
function freshSetup(label: string, opts: SetupOptions) {
  return setupCircuit(CIRCUIT, { ...opts, cacheDir: join(workDir, label) });
}

const vkeyOf = (path: string) => JSON.parse(readFileSync(path, "utf8")) as VkeyJson;

describe("Development ceremony: proofs and verifiers", function () {
  after(async function () {
    rmSync(workDir, { recursive: true, force: true });
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  });

  describe("# groth16 with the development keys", function () {
    it("should prove the statement and verify it with snarkjs", async function () {
      const { proof, publicSignals, vkey } = await loadFixture(provedSmallCircuit);
      expect(publicSignals).to.deep.equal(["49005", "5"]); // [tag, salt]: outputs first
      expect(await groth16.verify(vkey, publicSignals, proof)).to.equal(true);
    });

    it("should verify the proof on L1 through the exported verifier", async function () {
      const { verifier, calldata } = await loadFixture(provedSmallCircuit);
      const { a, b, c, pub } = calldata;
      expect(await verifier.verifyProof(a, b, c, pub)).to.equal(true);
    });

    it("should not verify with a tampered public input, in snarkjs or on L1", async function () {
      const { proof, publicSignals, vkey, verifier, calldata } = await loadFixture(provedSmallCircuit);
      const { a, b, c, pub } = calldata;
      const tampered = [publicSignals[0], "6"];
      expect(await groth16.verify(vkey, tampered, proof)).to.equal(false);
      expect(await verifier.verifyProof(a, b, c, [pub[0], "6"])).to.equal(false);
      expect(await verifier.verifyProof(a, b, c, [(BigInt(pub[0]) + 1n).toString(), pub[1]])).to.equal(false);
      // A public input congruent to the right one but outside the field is refused too.
      expect(await verifier.verifyProof(a, b, c, [pub[0], (BigInt(pub[1]) + FR_MODULUS).toString()])).to.equal(false);
    });

    it("should not verify a tampered proof on L1", async function () {
      const { verifier, calldata } = await loadFixture(provedSmallCircuit);
      const { a, b, c, pub } = calldata;
      // Swapping A and C keeps both on the curve but breaks the pairing equation.
      expect(await verifier.verifyProof(c, b, a, pub)).to.equal(false);
    });
  });

  describe("# key modes", function () {
    it("should draw new keys in every empty cache by default, with delta other than gamma", async function () {
      const one = await freshSetup("random-1", {});
      const two = await freshSetup("random-2", {});
      expect(one.mode).to.equal("random");
      expect(one.ptau, "random keys need no powers of tau").to.equal(undefined);
      const [v1, v2] = [vkeyOf(one.vkey), vkeyOf(two.vkey)];
      expect(v1.vk_delta_2).to.not.deep.equal(v1.vk_gamma_2);
      expect(v1.vk_delta_2).to.not.deep.equal(v2.vk_delta_2);
      expect(v1.IC).to.not.deep.equal(v2.IC);
      expect(readFileSync(one.zkey).equals(readFileSync(two.zkey))).to.equal(false);
      // Each verifies its own proofs, and not the other's.
      const { proof, publicSignals } = await groth16.fullProve(INPUT, one.wasm, one.zkey);
      expect(await groth16.verify(v1, publicSignals, proof)).to.equal(true);
      expect(await groth16.verify(v2, publicSignals, proof)).to.equal(false);
    });

    it("should write the same deterministic keys in every empty cache, fast or stock, with delta other than gamma", async function () {
      const fast = await freshSetup("fixed-1", { mode: "deterministic" });
      const again = await freshSetup("fixed-2", { mode: "deterministic" });
      const stock = await freshSetup("fixed-stock", { stock: true });
      expect(fast.mode).to.equal("deterministic");
      expect(readFileSync(fast.zkey).equals(readFileSync(again.zkey))).to.equal(true);
      expect(readFileSync(fast.zkey).equals(readFileSync(stock.zkey)), "fast and stock zkeys differ").to.equal(true);
      expect(readFileSync(fast.verifierSol, "utf8")).to.equal(readFileSync(again.verifierSol, "utf8"));
      const v = vkeyOf(fast.vkey);
      expect(v.vk_delta_2, "the phase-2 beacon moves delta away from gamma").to.not.deep.equal(v.vk_gamma_2);
      expect(await snarkjsApi().zKey.verifyFromR1cs(fast.r1cs, fast.ptau!, fast.zkey)).to.equal(true);
    });
  });
});
