/**
 * The development ceremony's artifact cache: one build per artifact, across
 * concurrent calls and processes that died half-way.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ensureArtifact, hashParts } from "../../src/zk/ceremony/cache";

const workDir = mkdtempSync(join(tmpdir(), "l2lab-ceremony-cache-"));

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

describe("Development ceremony: artifact cache", function () {
  after(function () {
    rmSync(workDir, { recursive: true, force: true });
  });

  describe("# ensureArtifact", function () {
    it("should build once for concurrent calls and not at all once the artifact exists", async function () {
      const path = join(workDir, "once.bin");
      let builds = 0;
      const build = async (tmp: string) => {
        builds++;
        await new Promise((r) => setTimeout(r, 50));
        writeFileSync(tmp, "artifact");
      };
      const results = await Promise.all([ensureArtifact(path, build), ensureArtifact(path, build)]);
      expect(builds).to.equal(1);
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await ensureArtifact(path, build)).to.equal(false);
      expect(builds).to.equal(1);
      expect(readFileSync(path, "utf8")).to.equal("artifact");
    });

    it("should leave nothing behind when the build fails, and build on the next call", async function () {
      const path = join(workDir, "fails.bin");
      await expect(
        ensureArtifact(path, async (tmp) => {
          writeFileSync(tmp, "half");
          throw new Error("boom");
        }),
      ).to.be.rejectedWith("boom");
      expect(readdirSync(workDir).filter((f) => f.startsWith("fails.bin"))).to.deep.equal([]);
      expect(await ensureArtifact(path, async (tmp) => writeFileSync(tmp, "ok"))).to.equal(true);
    });

    it("should take over the lock and clear the temporary files of a process that died", async function () {
      const path = join(workDir, "orphan.bin");
      const dead = deadPid();
      writeFileSync(`${path}.lock`, String(dead));
      writeFileSync(`${path}.${dead}.123.abc.tmp`, "partial");
      expect(await ensureArtifact(path, async (tmp) => writeFileSync(tmp, "rebuilt"))).to.equal(true);
      expect(readFileSync(path, "utf8")).to.equal("rebuilt");
      expect(existsSync(`${path}.lock`)).to.equal(false);
      expect(existsSync(`${path}.${dead}.123.abc.tmp`)).to.equal(false);
    });

    it("should wait while a live process holds the lock and use what it built", async function () {
      const path = join(workDir, "other.bin");
      // A live process that plays the other builder: it writes the artifact after a moment.
      writeFileSync(`${path}.lock`, String(process.ppid));
      const waits: string[] = [];
      setTimeout(() => {
        writeFileSync(path, "from the other process");
        rmSync(`${path}.lock`);
      }, 700);
      const built = await ensureArtifact(
        path,
        async () => expect.fail("must not build"),
        (m) => waits.push(m),
      );
      expect(built).to.equal(false);
      expect(waits).to.deep.equal([`waiting for process ${process.ppid}, which is building ${path}`]);
      expect(readFileSync(path, "utf8")).to.equal("from the other process");
    });
  });

  describe("# hashParts", function () {
    it("should depend on where the parts split, not only on their concatenation", function () {
      expect(hashParts("ab", "c")).to.not.equal(hashParts("a", "bc"));
      expect(hashParts("ab", "c")).to.equal(hashParts("ab", "c"));
    });
  });
});
