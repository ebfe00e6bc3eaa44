/**
 * The direct zkey writer against `snarkjs groth16 setup`, and setupCircuit's cache.
 * INSECURE development ceremony: its secrets are public by design.
 */
import { expect } from "chai";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CeremonyFileError, CircuitTooLargeError, writePreparedPtau, writeZkey } from "../../src/zk/ceremony";
import { PROJECT_ROOT, setupCircuit } from "../../src/zk/ceremony/artifacts";
import { BinFileReader } from "../../src/zk/ceremony/binfile-reader";
import { snarkjsApi } from "../../src/zk/ceremony/snarkjs-api";
import { stockZkey } from "../../src/zk/ceremony/stock";

const CIRCUIT = "test/ceremony_small";
const workDir = mkdtempSync(join(tmpdir(), "l2lab-ceremony-zkey-"));
const { zKey } = snarkjsApi();

async function smallCircuit() {
  const artifacts = await setupCircuit(CIRCUIT, { mode: "deterministic" });
  return { artifacts, ptau: artifacts.ptau! };
}

async function stockAndFastZkey() {
  const { artifacts, ptau } = await loadFixture(smallCircuit);
  const stock = join(workDir, "stock.zkey");
  const fast = join(workDir, "fast.zkey");
  await stockZkey(artifacts.r1cs, ptau, stock);
  await writeZkey(artifacts.r1cs, ptau, fast);
  return { artifacts, ptau, stock, fast };
}

describe("Development ceremony: zkey", function () {
  after(async function () {
    rmSync(workDir, { recursive: true, force: true });
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  });

  describe("# writeZkey", function () {
    it("should write the same bytes as snarkjs groth16 setup", async function () {
      const { stock, fast } = await loadFixture(stockAndFastZkey);
      const a = readFileSync(fast);
      expect(a.length).to.equal(statSync(stock).size);
      expect(a.equals(readFileSync(stock)), "the direct zkey differs from the stock one").to.equal(true);
    });

    it("should be accepted by snarkjs zkey verify", async function () {
      const { artifacts, ptau, fast } = await loadFixture(stockAndFastZkey);
      expect(await zKey.verifyFromR1cs(artifacts.r1cs, ptau, fast)).to.equal(true);
    });

    it("should not accept a powers-of-tau file smaller than the circuit's domain", async function () {
      const { artifacts } = await loadFixture(smallCircuit);
      // 34 constraints + 2 public signals need a domain of 2^6 (see circuits/test/ceremony_small.circom).
      const small = join(workDir, "pot5.ptau");
      await writePreparedPtau(5, small);
      const err = await writeZkey(artifacts.r1cs, small, join(workDir, "x.zkey")).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(CircuitTooLargeError);
      expect(err).to.include({ circuitPower: 6, ptauPower: 5 });
    });

    it("should not accept a powers-of-tau file whose points do not match its beacon", async function () {
      const { artifacts, ptau } = await loadFixture(smallCircuit);
      const forged = join(workDir, "forged.ptau");
      copyFileSync(ptau, forged);
      const file = await BinFileReader.open(forged, "ptau");
      const tauG1 = file.section(2).offset + 64; // the second point of section 2: tau·G1
      await file.close();
      const bytes = readFileSync(forged);
      bytes[tauG1] ^= 1;
      writeFileSync(forged, bytes);
      await expect(writeZkey(artifacts.r1cs, forged, join(workDir, "y.zkey"))).to.be.rejectedWith(
        CeremonyFileError,
        /tau·G1 does not match the beacon's secret/,
      );
    });

    it("should not accept an r1cs path that does not exist", async function () {
      const { ptau } = await loadFixture(smallCircuit);
      await expect(writeZkey(join(workDir, "missing.r1cs"), ptau, join(workDir, "z.zkey"))).to.be.rejectedWith(
        CeremonyFileError,
        /missing\.r1cs: cannot open/,
      );
    });
  });

  describe("# setupCircuit", function () {
    it("should build every artifact once and find them all on a second run", async function () {
      const { artifacts } = await loadFixture(smallCircuit);
      expect(artifacts.constraints).to.equal(34);
      expect(artifacts.power).to.equal(7); // domain power 6, plus one
      const files = (a: typeof artifacts) => [a.r1cs, a.ptau!, a.zkey, a.vkey, a.verifierSol, a.verifierArtifact];
      const times = files(artifacts).map((p) => statSync(p).mtimeMs);
      const progress: string[] = [];
      const again = await setupCircuit(CIRCUIT, { mode: "deterministic", onProgress: (m) => progress.push(m) });
      expect(again).to.deep.equal(artifacts);
      expect(files(again).map((p) => statSync(p).mtimeMs)).to.deep.equal(times);
      expect(progress.filter((m) => /compiling|wrote|writing/.test(m))).to.deep.equal([]);
    });

    it("should never reuse artifacts of a changed circuit", async function () {
      const { artifacts } = await loadFixture(smallCircuit);
      const dir = join(workDir, "circuits");
      mkdirSync(join(dir, "test"), { recursive: true });
      const source = readFileSync(join(PROJECT_ROOT, "circuits", `${CIRCUIT}.circom`), "utf8");
      // One more constraint: the square is also checked against a public input.
      const changed = source
        .replace("signal input salt;", "signal input salt;\n    signal input squareOut;")
        .replace(
          "signal square <== secret * secret;",
          "signal square <== secret * secret;\n    squareOut === square * 1;",
        )
        .replace("{public [salt]}", "{public [salt, squareOut]}");
      expect(changed).to.not.equal(source);
      writeFileSync(join(dir, `${CIRCUIT}.circom`), changed);
      const next = await setupCircuit(CIRCUIT, { circuitsDir: dir, mode: "deterministic" });
      expect(next.r1cs).to.not.equal(artifacts.r1cs);
      expect(next.zkey).to.not.equal(artifacts.zkey);
      expect(next.ptau).to.equal(artifacts.ptau); // same power, same beacon: shared
      expect(readFileSync(next.verifierSol).equals(readFileSync(artifacts.verifierSol))).to.equal(false);
    });
  });
});
