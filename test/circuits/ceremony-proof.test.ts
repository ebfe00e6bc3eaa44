/**
 * Proofs made with the development keys verify in snarkjs and on L1 through
 * the exported verifier, and the committed verifiers are what a fresh setup
 * writes. INSECURE development ceremony: its secrets are public by design.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { PROJECT_ROOT, setupCircuit } from "../../src/zk/ceremony/artifacts";
import { FR_MODULUS } from "../../src/zk/ceremony/field";
import { snarkjsApi } from "../../src/zk/ceremony/snarkjs-api";

const { groth16 } = snarkjsApi();

const CIRCUIT = "test/ceremony_small";
const VERIFIERS = join(PROJECT_ROOT, "contracts", "zk", "verifiers");
const workDir = mkdtempSync(join(tmpdir(), "l2lab-ceremony-proof-"));
/**
 * Committed verifiers of circuits up to this ptau power are regenerated in
 * every test run (the zk rollup's test circuit needs 2^18 and its tests build
 * those keys anyway); larger ones only with L2LAB_CHECK_ALL_VERIFIERS=1.
 */
const MAX_CHECKED_POWER = 18;

/** salt = 5, secret = 7, amount = 1000: tag = 7·7·1000 + 5 = 49005. */
const INPUT = { salt: "5", secret: "7", amount: "1000" };

async function provedSmallCircuit() {
  const artifacts = await setupCircuit(CIRCUIT, { verifierDir: join(workDir, "verifiers") });
  const { proof, publicSignals } = await groth16.fullProve(INPUT, artifacts.wasm, artifacts.zkey);
  const vkey = JSON.parse(readFileSync(artifacts.vkey, "utf8")) as unknown;
  const verifier = await ethers.deployContract("CeremonySmallVerifier");
  const [a, b, c, pub] = JSON.parse(`[${await groth16.exportSolidityCallData(proof, publicSignals)}]`) as [
    [string, string],
    [[string, string], [string, string]],
    [string, string],
    [string, string],
  ];
  return { artifacts, proof, publicSignals, vkey, verifier, calldata: { a, b, c, pub } };
}

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

  describe("# committed verifiers", function () {
    // One case per verifier under contracts/zk/verifiers, read when the file loads.
    const committed = readdirSync(VERIFIERS).filter((f) => f.endsWith(".sol"));

    it("should include the verifier of the ceremony's test circuit", function () {
      expect(committed).to.include("CeremonySmallVerifier.sol");
    });

    for (const file of committed) {
      it(`should be exactly what a fresh setup writes: ${file}`, async function () {
        const text = readFileSync(join(VERIFIERS, file), "utf8");
        const circuit = /zk:setup --circuit ([A-Za-z0-9_/-]+)/.exec(text)?.[1];
        expect(circuit, `${file}: no "zk:setup --circuit NAME" in its header`).to.be.a("string");
        const power = Number(/powers of tau 2\^(\d+)/.exec(text)?.[1]);
        expect(power, `${file}: no "powers of tau 2^K" in its header`).to.be.within(1, 28);
        if (power > MAX_CHECKED_POWER && !process.env.L2LAB_CHECK_ALL_VERIFIERS) {
          // Building a large circuit's keys from nothing takes minutes; the benchmark circuits are checked on demand.
          this.skip();
        }
        const contractName = file.slice(0, -".sol".length);
        // Small circuits are rebuilt from nothing in an empty cache; larger ones use the shared cache, whose
        // keys cover every input, so what it holds is what a fresh setup would write (and the zk tests need it too).
        const cacheDir = power <= 10 ? join(workDir, "fresh-cache") : undefined;
        const a = await setupCircuit(circuit!, {
          verifierDir: join(workDir, "regenerated"),
          verifierContractName: contractName,
          cacheDir,
        });
        expect(existsSync(a.verifierSol)).to.equal(true);
        expect(
          readFileSync(a.verifierSol, "utf8"),
          `${file} is stale: run npx hardhat zk:setup --circuit ${circuit}`,
        ).to.equal(text);
      });
    }
  });
});
