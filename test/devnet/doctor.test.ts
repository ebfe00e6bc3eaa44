/**
 * `npm run doctor`'s checks on this machine, and the key cache's trip from one machine to another:
 * exported, imported into an empty cache, and refused when the archive's keys do not fit this
 * checkout's circuit.
 */
import { expect } from "chai";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  checkChainPort,
  checkNativeBindings,
  checkNode,
  exportKeys,
  importKeys,
  KeyArchiveMismatchError,
} from "../../src/devnet/doctor";
import { freePort } from "../../src/devnet/processes";
import { TEST_CIRCUIT, loadCircuit } from "../../src/zk/circuit";
import { describeDeep } from "../support/deep";

const root = process.cwd();

describe("# doctor", function () {
  it("should pass this machine's Node.js and name a failing one with what to install", function () {
    expect(checkNode().status).to.equal("ok");
    const old = checkNode("18.20.4");
    expect(old.status).to.equal("fail");
    expect(old.detail).to.include("Install Node.js 20");
  });

  it("should report every native binding as loading or as falling back, never silently", function () {
    const checks = checkNativeBindings(root);
    expect(checks.map((c) => c.name)).to.deep.equal(["c-kzg (blobs)", "secp256k1", "keccak"]);
    for (const check of checks) expect(check.status, `${check.name}: ${check.detail}`).to.not.equal("fail");
  });

  it("should tell a free chain port from one held by something that is not a JSON-RPC node", async function () {
    const port = await freePort();
    const free = await checkChainPort(`http://127.0.0.1:${port}`);
    expect(free.status).to.equal("ok");
    expect(free.detail).to.include("is free");
    const squatter = createServer((_q, r) => r.end("<html>a web page</html>"));
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    try {
      const taken = await checkChainPort(`http://127.0.0.1:${port}`);
      expect(taken.status).to.equal("warn");
      expect(taken.detail).to.include("L2LAB_LOCALHOST_URL");
    } finally {
      squatter.close();
    }
  });

  describe("# key cache export and import", function () {
    let scratch: string;
    let archive: string;

    before(async function () {
      await loadCircuit(TEST_CIRCUIT);
      scratch = mkdtempSync(join(tmpdir(), "l2lab-doctor-"));
      archive = join(scratch, "keys.tgz");
      exportKeys(root, archive);
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("should import an exported cache into an empty one, keys and compiled circuit alike", async function () {
      const target = join(scratch, "cache");
      const imported = await importKeys(root, archive, target);
      expect(imported.some((f) => f.endsWith(".zkey"))).to.equal(true);
      expect(readdirSync(join(target, "keys")).sort()).to.deep.equal(
        readdirSync(join(root, ".zk-cache", "keys"))
          .filter((f) => !f.startsWith("."))
          .sort(),
      );
      expect(readdirSync(join(target, "circuits")).length).to.be.greaterThan(0);
    });

    it("should refuse keys of another version of the circuit, importing nothing", async function () {
      const other = join(scratch, "other");
      mkdirSync(join(other, "circuits", `${TEST_CIRCUIT.name}_0000000000000000`), { recursive: true });
      writeFileSync(join(other, "circuits", `${TEST_CIRCUIT.name}_0000000000000000`, `${TEST_CIRCUIT.name}.r1cs`), "");
      mkdirSync(join(other, "keys"));
      const bad = join(scratch, "other.tgz");
      execFileSync("tar", ["-czf", bad, "-C", other, "circuits", "keys"]);
      const target = join(scratch, "untouched");
      await expect(importKeys(root, bad, target)).to.be.rejectedWith(
        KeyArchiveMismatchError,
        /another version of the circuit/,
      );
      expect(existsSync(target)).to.equal(false);
    });
  });
});

/** Re-packing the 70 MB proving key takes a while: only under `npm run test:deep`. */
describeDeep("doctor: a tampered key archive", function () {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "l2lab-doctor-deep-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("should refuse a verification key that is not the proving key's", async function () {
    const unpacked = join(scratch, "tampered");
    mkdirSync(unpacked);
    // The cache may hold other circuits' keys too (the ceremony tests' circuits): tamper with this one's.
    const { artifacts } = await loadCircuit(TEST_CIRCUIT);
    const archive = join(scratch, "keys.tgz");
    exportKeys(root, archive);
    execFileSync("tar", ["-xzf", archive, "-C", unpacked]);
    const keys = join(unpacked, "keys");
    const vkey = basename(artifacts.vkey);
    expect(readdirSync(keys)).to.include(vkey);
    const vkeys = JSON.parse(readFileSync(join(keys, vkey), "utf8")) as { vk_delta_2: string[][] };
    vkeys.vk_delta_2[0][0] = "1";
    writeFileSync(join(keys, vkey), JSON.stringify(vkeys));
    const bad = join(scratch, "tampered.tgz");
    execFileSync("tar", ["-czf", bad, "-C", unpacked, "circuits", "keys"]);
    const target = join(scratch, "untouched2");
    await expect(importKeys(root, bad, target)).to.be.rejectedWith(
      KeyArchiveMismatchError,
      /is not the verification key of/,
    );
    expect(existsSync(target)).to.equal(false);
  });
});
