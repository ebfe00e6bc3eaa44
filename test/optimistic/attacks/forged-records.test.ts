import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  AbiCoder,
  Interface,
  ZeroAddress,
  getAddress,
  hexlify,
  keccak256,
  parseEther,
  toBeHex,
  type Signer,
} from "ethers";
import { CHALLENGE_PERIOD, acceptWithdrawal, freshOperator, fundedFixture } from "../fixtures";
import { emptyExitRoot, sendRaw, submitBatchData, wrongRootBatch } from "./attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { buildHostileBatch, rawBatch, standardCalldata } from "../../../src/optimistic/attacker";
import {
  buildCommittedExitClaim,
  buildExitClaim,
  buildFraudProof,
  fraudCommitment,
  rebuild,
  submitFraudProof,
} from "../../../src/optimistic/watcher";
import { type BatchStruct, freezeRollup, readRecords } from "../../../src/optimistic/records";
import { runs } from "../../support/deep";

/**
 * Forged batch records. L1 keeps one hash per batch and every call about a batch passes the whole record back, so
 * a caller may hand in any record it likes. These attacks hand proveFraud, claimExit, unbond and freeze (and the
 * isStanding/isFinal views) records with one field changed, the record of a batch a fraud proof rolled back (its
 * slot overwritten, or still holding its hash above the tip), records with dirty high bits written into the
 * calldata by hand, the wrong parent, a standing batch that is not the tip, and a final batch that is not the
 * newest final one. Each is refused with its exact error and leaves the tip, the bond, the exits and every
 * balance as they were.
 *
 * The scene (one fixture): batch 1 holds three deposits, batch 2 alice's withdrawal (both final); batch 3 paid
 * the operator a fake exit and was proven and rolled back; bob's deposit then waited past its deadline, and
 * batch 4 (an invalid one, at batch 3's height) is pending. Standing: 0, 1, 2, 4.
 */

const FIELDS = [
  "id",
  "parentId",
  "height",
  "chunksRoot",
  "stateRoot",
  "feeRecipient",
  "feeAccount",
  "finalAt",
  "depositEnd",
  "forcedEnd",
  "chunkCount",
  "blobs",
] as const;
type Field = (typeof FIELDS)[number];

/** Bits of each integer field (IOptimisticRollup.Batch). */
const BITS: Partial<Record<Field, number>> = {
  id: 64,
  parentId: 64,
  height: 32,
  feeAccount: 32,
  finalAt: 64,
  depositEnd: 64,
  forcedEnd: 64,
  chunkCount: 16,
};
const BATCH_TUPLE =
  "tuple(uint64 id, uint64 parentId, uint32 height, bytes32 chunksRoot, bytes32 stateRoot, address feeRecipient, " +
  "uint32 feeAccount, uint64 finalAt, uint64 depositEnd, uint64 forcedEnd, uint16 chunkCount, bytes32 blobs)";

/** A dirty high bit for each small field: what ethers would refuse to encode. */
const DIRTY_BITS: [Field, number][] = [
  ["id", 64],
  ["parentId", 64],
  ["height", 32],
  ["feeRecipient", 160],
  ["feeAccount", 100],
  ["finalAt", 64],
  ["depositEnd", 200],
  ["forcedEnd", 64],
  ["chunkCount", 16],
];

// ------------------------------------------------------------------ records

/** `record` with `field` set to `value`. */
function withField(record: BatchStruct, field: Field, value: unknown): BatchStruct {
  return { ...record, [field]: value } as BatchStruct;
}

/** The smallest change of one field that stays encodable. */
function nudge(record: BatchStruct, field: Field): BatchStruct {
  const value = record[field];
  const bits = BITS[field];
  if (bits !== undefined) {
    const v = BigInt(value as bigint);
    return withField(record, field, v === (1n << BigInt(bits)) - 1n ? v - 1n : v + 1n);
  }
  if (field === "feeRecipient") return withField(record, field, getAddress(toBeHex(BigInt(String(value)) ^ 1n, 20)));
  return withField(record, field, toBeHex(BigInt(String(value)) ^ 1n, 32));
}

function sameRecord(a: BatchStruct, b: BatchStruct): boolean {
  const coder = AbiCoder.defaultAbiCoder();
  return coder.encode([BATCH_TUPLE], [a]) === coder.encode([BATCH_TUPLE], [b]);
}

/**
 * `data` (lower-case hex calldata holding `record` in its standard encoding) with bit `bit` of `field`'s word set:
 * the record's 12 words are found in place, so the change lands in the word L1 hashes.
 */
function dirty(data: string, record: BatchStruct, field: Field, bit: number): string {
  const words = AbiCoder.defaultAbiCoder().encode([BATCH_TUPLE], [record]).slice(2);
  const at = data.indexOf(words, 10);
  expect(at >= 0 && (at - 10) % 64 === 0, "the record's words in the calldata").to.equal(true);
  const pos = at + 64 * FIELDS.indexOf(field);
  const word = BigInt("0x" + data.slice(pos, pos + 64)) | (1n << BigInt(bit));
  return data.slice(0, pos) + word.toString(16).padStart(64, "0") + data.slice(pos + 64);
}

// ------------------------------------------------------------------ the scene

async function sceneFixture() {
  const f = await fundedFixture(); // batch 1
  const { rollup, opSigner, challenger, l1, l2, domain, params, operatorKey } = f;
  const mallory = (await ethers.getSigners())[5];

  const operator = await freshOperator(f);
  await acceptWithdrawal(operator, domain, l1[0], l2[0], 500);
  await operator.postPending(); // batch 2: alice's exit
  await time.increase(CHALLENGE_PERIOD + 1);

  // Batch 3 pays the operator an exit nobody made; a watcher proves it and it is rolled back.
  let view = await readL1(rollup);
  const fakeExit = { recipient: opSigner.address, amount: parseEther("2") };
  const built = buildHostileBatch(rollup, opSigner, view, params, operatorKey.address, {
    kind: "fake-exit",
    ...fakeExit,
  });
  await sendRaw(rollup, opSigner, standardCalldata(rollup.interface, rawBatch(built, operatorKey.address)));
  view = await readL1(rollup);
  const chunk = built.exits.findIndex((exits) =>
    exits.some((e) => e.recipient.toLowerCase() === fakeExit.recipient.toLowerCase()),
  );
  const fake = built.exits[chunk].find((e) => e.recipient.toLowerCase() === fakeExit.recipient.toLowerCase())!;
  const fakeClaim = buildCommittedExitClaim(view, 3, chunk, built.exits[chunk], fake);
  const fakeProof = buildFraudProof(view, 3, rebuild(view).invalid!.chunkIndex);
  await submitFraudProof(rollup, challenger, fakeProof);
  await (await rollup.connect(opSigner).bond({ value: await rollup.BOND() })).wait();

  // Bob's deposit waits past its deadline; batch 4 (invalid, consuming nothing) is then posted.
  await (await rollup.connect(l1[1]).deposit(l2[1].address, { value: parseEther("1") })).wait();
  await time.increase(Number(await rollup.DEPOSIT_DEADLINE()) + 1);
  await sendRaw(rollup, opSigner, await wrongRootBatch(rollup, 4));

  view = await readL1(rollup);
  const exit = rebuild(view).exits.find((e) => e.batchId === 2)!;
  const records = await readRecords(rollup);
  const r = (id: number) => records.get(id)!;
  return {
    ...f,
    mallory,
    records,
    genesis: r(0),
    b1: r(1),
    b2: r(2),
    b3: r(3),
    b4: r(4),
    claim: buildExitClaim(view, exit), // alice's exit from final batch 2
    fakeClaim, // the operator's fake exit from rolled-back batch 3
    fakeProof, // the proof that rolled batch 3 back
    proof: buildFraudProof(view, 4, 0), // the honest proof of pending batch 4
    exitKeys: [exitKey(2, exit.chunkIndex, exit.position), exitKey(3, chunk, fake.position)],
  };
}
type Scene = Awaited<ReturnType<typeof sceneFixture>>;

function exitKey(batchId: number, chunkIndex: number, position: number): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(["uint256", "uint256", "uint256"], [batchId, chunkIndex, position]),
  );
}

function holders(s: Scene): string[] {
  return [
    s.rollup.target as string,
    s.opSigner.address,
    ...s.l1.map((a) => a.address),
    s.challenger.address,
    s.mallory.address,
    ZeroAddress,
  ];
}

/** Everything an attack could move: the tip, the chain's hashes, the bond, the exits and every balance at stake. */
async function snapshot(s: Scene) {
  const { rollup } = s;
  return {
    block: await ethers.provider.getBlockNumber(),
    tipId: await rollup.tipId(),
    batchCount: await rollup.batchCount(),
    chain: await Promise.all([0, 1, 2, 3, 4].map((h) => rollup.batchHash(h))),
    bonded: await rollup.bonded(),
    frozen: await rollup.frozen(),
    frozenStateRoot: await rollup.frozenStateRoot(),
    exitClaimed: await Promise.all(s.exitKeys.map((k) => rollup.exitClaimed(k))),
    balances: await Promise.all(holders(s).map((a) => ethers.provider.getBalance(a))),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** What each address paid in fees for the transactions mined since block `since` (Hardhat mines reverted ones). */
async function feesSince(since: number): Promise<Map<string, bigint>> {
  const fees = new Map<string, bigint>();
  for (let n = since + 1; n <= (await ethers.provider.getBlockNumber()); n++) {
    for (const hash of (await ethers.provider.getBlock(n))!.transactions) {
      const receipt = (await ethers.provider.getTransactionReceipt(hash))!;
      fees.set(receipt.from, (fees.get(receipt.from) ?? 0n) + receipt.fee);
    }
  }
  return fees;
}

/** Nothing changed since `before` but the fees the attackers paid for their refused transactions. */
async function expectUnchanged(s: Scene, before: Snapshot, label = "") {
  const now = await snapshot(s);
  const fees = await feesSince(before.block);
  const addresses = holders(s);
  // INVARIANT: a refused record moves no ETH: the bridge, the operator, the users, the watchers, the burn address
  // hold what they held, less the fees of the refused transactions.
  const balances = now.balances.map((b, i) => b + (fees.get(addresses[i]) ?? 0n));
  expect({ ...now, block: before.block, balances }, label).to.deep.equal(before);
}

// ------------------------------------------------------------------ sending

/** Commits to a fraud proof's exact calldata first (as an honest challenger must), so only the record can fail. */
async function commit(s: Scene, from: Signer, data: string): Promise<void> {
  const commitment = fraudCommitment(await from.getAddress(), data);
  await (await s.rollup.connect(from).commitFraudProof(commitment)).wait();
}

async function send(s: Scene, from: Signer, data: string) {
  return from.sendTransaction({ to: await s.rollup.getAddress(), data });
}

/** The custom error a call reverted with, by name ("no data" for a bare revert; "accepted" if it went through). */
async function revertName(s: Scene, action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
    return "accepted";
  } catch (error) {
    const e = error as { data?: string; message: string };
    const data = e.data ?? /data="(0x[0-9a-f]*)"/.exec(e.message)?.[1];
    if (data === undefined) return e.message;
    if (data === "0x") return "no data";
    return s.rollup.interface.parseError(data)?.name ?? data;
  }
}

// ------------------------------------------------------------------ the calls under attack

interface Target {
  name: string;
  /** The honest record the call passes (the one forged). */
  record: (s: Scene) => BatchStruct;
  /** The call's calldata with `record` in place of the honest one. */
  calldata: (s: Scene, record: BatchStruct) => string;
  /** The calldata passing rolled-back batch 3 (with everything else right for it). */
  rolledBack: (s: Scene) => string;
  sender: (s: Scene) => Signer;
  /** proveFraud: the sender commits to the calldata first. */
  commits?: boolean;
  /** Runs before the attack (unbond: the tip's window passes). */
  prepare?: (s: Scene) => Promise<void>;
  /** The honest call went through: what it changed. */
  honest: (s: Scene) => Promise<unknown>;
}

/** Calldata of `name(args)` in the standard encoding. */
function encode(s: Scene, name: string, args: unknown[]): string {
  return (s.rollup.interface as Interface).encodeFunctionData(name, args);
}

const TARGETS: Target[] = [
  {
    name: "proveFraud (batch)",
    record: (s) => s.b4,
    calldata: (s, r) => encode(s, "proveFraud", [{ ...s.proof, batch: r }]),
    rolledBack: (s) => encode(s, "proveFraud", [s.fakeProof]),
    sender: (s) => s.mallory,
    commits: true,
    honest: async (s) => expect(await s.rollup.tipId()).to.equal(2n),
  },
  {
    name: "claimExit (after the window)",
    record: (s) => s.b2,
    calldata: (s, r) => encode(s, "claimExit", [{ ...s.claim, batch: r }]),
    rolledBack: (s) => encode(s, "claimExit", [s.fakeClaim]),
    sender: (s) => s.mallory,
    honest: async (s) => expect(await s.rollup.exitClaimed(s.exitKeys[0])).to.equal(true),
  },
  {
    name: "unbond",
    record: (s) => s.b4,
    calldata: (s, r) => encode(s, "unbond", [r]),
    rolledBack: (s) => encode(s, "unbond", [s.b3]),
    sender: (s) => s.opSigner,
    prepare: async () => void (await time.increase(CHALLENGE_PERIOD + 1)),
    honest: async (s) => expect(await s.rollup.bonded()).to.equal(false),
  },
  {
    name: "freeze (lastFinal, a deposit overdue)",
    record: (s) => s.b2,
    calldata: (s, r) => encode(s, "freeze", [r, s.b4]),
    rolledBack: (s) => encode(s, "freeze", [s.b3, s.b4]),
    sender: (s) => s.mallory,
    honest: async (s) => expect(await s.rollup.frozen()).to.equal(true),
  },
  {
    name: "freeze (next, a deposit overdue)",
    record: (s) => s.b4,
    calldata: (s, r) => encode(s, "freeze", [s.b2, r]),
    rolledBack: (s) => encode(s, "freeze", [s.b2, s.b3]),
    sender: (s) => s.mallory,
    honest: async (s) => expect(await s.rollup.frozen()).to.equal(true),
  },
];

/** Sends `data` as the target's caller (committing first for proveFraud). */
async function attack(s: Scene, target: Target, data: string) {
  if (target.commits) await commit(s, target.sender(s), data);
  return send(s, target.sender(s), data);
}

async function scene(target?: Target): Promise<Scene> {
  const s = await loadFixture(sceneFixture);
  await target?.prepare?.(s);
  return s;
}

describe("# attack: forged batch records", function () {
  for (const target of TARGETS) {
    describe(target.name, function () {
      it("should take the honest record", async function () {
        const s = await scene(target);
        await attack(s, target, target.calldata(s, target.record(s)));
        await target.honest(s);
      });

      it("should refuse the record with any one of its 12 fields changed (BatchNotStanding)", async function () {
        const s = await scene(target);
        const before = await snapshot(s);
        for (const field of FIELDS) {
          const forged = nudge(target.record(s), field);
          await expect(attack(s, target, target.calldata(s, forged)), field)
            .to.be.revertedWithCustomError(s.rollup, "BatchNotStanding")
            .withArgs(forged.id, forged.height);
          await expectUnchanged(s, before, field);
        }
      });

      it("should refuse the record of a batch a fraud proof rolled back (BatchNotStanding)", async function () {
        const s = await scene(target);
        const before = await snapshot(s);
        expect(await s.rollup.isStanding(s.b3)).to.equal(false);
        await expect(attack(s, target, target.rolledBack(s)))
          .to.be.revertedWithCustomError(s.rollup, "BatchNotStanding")
          .withArgs(3, 3);
        await expectUnchanged(s, before);
      });

      it("should refuse the record with a dirty high bit in a small field (raw calldata)", async function () {
        const s = await scene(target);
        const before = await snapshot(s);
        const clean = target.calldata(s, target.record(s));
        for (const [field, bit] of DIRTY_BITS) {
          const data = dirty(clean, target.record(s), field, bit);
          // id and height are read (and so validated: a bare revert) before the record is hashed; any other dirty
          // word is hashed as it lies and misses the stored hash.
          const expected = field === "id" || field === "height" ? "no data" : "BatchNotStanding";
          expect(await revertName(s, () => attack(s, target, data)), field).to.equal(expected);
          await expectUnchanged(s, before, field);
        }
      });
    });
  }

  describe("a rolled-back batch whose slot still holds its hash", function () {
    it("should refuse it everywhere (BatchNotStanding): the height above the tip decides", async function () {
      const s = await scene();
      const { rollup, opSigner, mallory } = s;
      const slot = await rollup.batchHash(3);
      await submitFraudProof(rollup, mallory, s.proof); // batch 4 goes; nothing overwrites height 3
      await (await rollup.connect(opSigner).bond({ value: await rollup.BOND() })).wait();
      await time.increase(CHALLENGE_PERIOD + 1); // batch 4's window is over too
      expect(await rollup.batchHash(3)).to.equal(slot);
      expect(await rollup.isStanding(s.b4)).to.equal(false);
      expect(await rollup.isFinal(s.b4)).to.equal(false);
      const before = await snapshot(s);
      const calls: [Signer, string][] = [
        [mallory, encode(s, "proveFraud", [s.proof])],
        [mallory, encode(s, "claimExit", [{ ...s.claim, batch: s.b4 }])],
        [opSigner, encode(s, "unbond", [s.b4])],
        [mallory, encode(s, "freeze", [s.b4, s.b4])],
        [mallory, encode(s, "freeze", [s.b4, s.b2])],
        // (freeze(batch 2, batch 4) is the honest freeze now: batch 2 is the tip, and `next` is then ignored.)
      ];
      for (const [from, data] of calls) {
        await commit(s, from, data);
        await expect(send(s, from, data))
          .to.be.revertedWithCustomError(rollup, "BatchNotStanding")
          .withArgs(4, 3);
      }
      await expectUnchanged(s, before);
    });
  });

  describe("isStanding and isFinal with dirty high bits", function () {
    it("should never call a dirty record standing", async function () {
      const s = await scene();
      for (const record of [s.genesis, s.b1, s.b2, s.b4]) {
        expect(await s.rollup.isStanding(record)).to.equal(true);
        for (const [field, bit] of DIRTY_BITS) {
          for (const view of ["isStanding", "isFinal"]) {
            const data = dirty(encode(s, view, [record]), record, field, bit);
            const answer = await ethers.provider.call({ to: await s.rollup.getAddress(), data }).catch(() => "revert");
            expect(answer, `${view} of batch ${record.id}, ${field}`).to.be.oneOf(["revert", toBeHex(0, 32)]);
          }
        }
      }
    });
  });

  describe("proveFraud with the wrong parent", function () {
    async function tryParent(s: Scene, parent: BatchStruct) {
      const data = encode(s, "proveFraud", [{ ...s.proof, parent }]);
      await commit(s, s.mallory, data);
      return send(s, s.mallory, data);
    }

    it("should refuse another batch's record (NotTheParent)", async function () {
      const s = await scene();
      const before = await snapshot(s);
      for (const parent of [s.genesis, s.b1, s.b3, s.b4]) {
        await expect(tryParent(s, parent), `batch ${parent.id}`)
          .to.be.revertedWithCustomError(s.rollup, "NotTheParent")
          .withArgs(4, parent.id);
      }
      await expectUnchanged(s, before);
    });

    it("should refuse the parent's record at a wrong height (NotTheParent)", async function () {
      const s = await scene();
      const before = await snapshot(s);
      // The largest height included: _requireParent compares with the batch's height minus one, which cannot
      // overflow (the batch stands and is not the genesis).
      for (const height of [0n, 1n, 3n, 4n, 2n ** 32n - 2n, 2n ** 32n - 1n]) {
        await expect(tryParent(s, withField(s.b2, "height", height)), `height ${height}`)
          .to.be.revertedWithCustomError(s.rollup, "NotTheParent")
          .withArgs(4, 2);
      }
      await expectUnchanged(s, before);
    });

    it("should refuse the parent's id and height over any other field changed (BatchNotStanding)", async function () {
      const s = await scene();
      const before = await snapshot(s);
      for (const field of FIELDS.filter((f) => f !== "id" && f !== "height")) {
        await expect(tryParent(s, nudge(s.b2, field)), field)
          .to.be.revertedWithCustomError(s.rollup, "BatchNotStanding")
          .withArgs(2, 2);
      }
      await expectUnchanged(s, before);
    });

    it("should not let a forged parent state make a valid batch look invalid", async function () {
      const s = await scene();
      const { rollup, opSigner, mallory } = s;
      await submitFraudProof(rollup, mallory, s.proof); // batch 4 goes; the tip is batch 2 again
      await (await rollup.connect(opSigner).bond({ value: await rollup.BOND() })).wait();
      // Batch 5: one empty chunk that keeps batch 2's state, as valid as a batch gets.
      const state = {
        stateRoot: s.b2.stateRoot as string,
        exitRoot: emptyExitRoot(Number(await rollup.CHUNK_SIZE())),
        depositCursor: BigInt(s.b2.depositEnd),
        forcedCursor: BigInt(s.b2.forcedEnd),
      };
      await sendRaw(rollup, opSigner, submitBatchData(rollup, ["0x"], [state], opSigner.address, 0));
      const proof = buildFraudProof(await readL1(rollup), 5, 0);
      await commit(s, mallory, encode(s, "proveFraud", [proof]));
      await expect(rollup.connect(mallory).proveFraud(proof)).to.be.revertedWithCustomError(rollup, "ChunkIsValid");
      const before = await snapshot(s);
      const forgedParent = withField(s.b2, "stateRoot", keccak256(ethers.toUtf8Bytes("a state batch 2 never had")));
      const data = encode(s, "proveFraud", [{ ...proof, parent: forgedParent }]);
      await commit(s, mallory, data);
      await expect(send(s, mallory, data))
        .to.be.revertedWithCustomError(rollup, "BatchNotStanding")
        .withArgs(2, 2);
      await expectUnchanged(s, before);
      expect(await rollup.tipId()).to.equal(5n);
    });
  });

  describe("unbond with a standing record that is not the tip", function () {
    it("should refuse it (NotTheTip)", async function () {
      const s = await scene();
      await time.increase(CHALLENGE_PERIOD + 1); // every batch final: only the tip check stands in the way
      const before = await snapshot(s);
      for (const record of [s.genesis, s.b1, s.b2]) {
        expect(await s.rollup.isStanding(record)).to.equal(true);
        await expect(s.rollup.connect(s.opSigner).unbond(record), `batch ${record.id}`)
          .to.be.revertedWithCustomError(s.rollup, "NotTheTip")
          .withArgs(record.id, 4);
      }
      await expectUnchanged(s, before);
    });
  });

  describe("freeze with a batch that is not the newest final one", function () {
    const cases: [string, (s: Scene) => [BatchStruct, BatchStruct], number][] = [
      ["an older final batch (next is final)", (s) => [s.b1, s.b2], 1],
      ["the genesis (next is final)", (s) => [s.genesis, s.b1], 0],
      ["an older final batch, next two heights above", (s) => [s.b1, s.b4], 1],
      ["the newest final batch as its own next", (s) => [s.b2, s.b2], 2],
      ["a batch that is not final", (s) => [s.b4, s.b4], 4],
      ["a batch that is not final, next the genesis", (s) => [s.b4, s.genesis], 4],
    ];
    for (const [name, args, id] of cases) {
      it(`should refuse ${name} (NotLastFinal)`, async function () {
        const s = await scene();
        const before = await snapshot(s);
        await expect(s.rollup.connect(s.mallory).freeze(...args(s)))
          .to.be.revertedWithCustomError(s.rollup, "NotLastFinal")
          .withArgs(id);
        await expectUnchanged(s, before);
      });
    }

    it("should freeze with the honest freezeArgs, on batch 2's state", async function () {
      const s = await scene();
      await freezeRollup(s.rollup, s.mallory);
      expect(await s.rollup.frozen()).to.equal(true);
      expect(await s.rollup.tipId()).to.equal(2n);
      expect(await s.rollup.frozenStateRoot()).to.equal(s.b2.stateRoot);
      expect(await s.rollup.isStanding(s.b4)).to.equal(false);
    });
  });

  describe("a hostile caller forging one field of a real record (property)", function () {
    this.timeout(1_200_000);
    const numRuns = runs(50, 500);

    /** A value for `field`: near the record's own, small, anywhere in range, or another record's. */
    function arbValue(s: Scene, field: Field, record: BatchStruct): fc.Arbitrary<unknown> {
      const bits = BITS[field];
      const all = [...s.records.values()];
      if (bits !== undefined) {
        const max = (1n << BigInt(bits)) - 1n;
        const v = BigInt(record[field] as bigint);
        return fc.oneof(
          fc.bigInt({ min: v > 3n ? v - 3n : 0n, max: v + 3n > max ? max : v + 3n }),
          fc.bigInt({ min: 0n, max: 8n }),
          fc.bigInt({ min: 0n, max }),
          fc.constantFrom(...all.map((r) => BigInt(r[field] as bigint))),
        );
      }
      const size = field === "feeRecipient" ? 20 : 32;
      const random = fc.uint8Array({ minLength: size, maxLength: size }).map((b) => hexlify(b));
      const known = fc.constantFrom(...all.map((r) => String(r[field])));
      return fc.oneof(random, known).map((h) => (size === 20 ? getAddress(h) : h.toLowerCase()));
    }

    it(`should never let a forged record stand, be claimed or be proven against (${numRuns} runs)`, async function () {
      const first = await scene();
      const standing = new Set([0n, 1n, 2n, 4n]);
      const arb = fc
        .record({ id: fc.constantFrom(...first.records.keys()), field: fc.constantFrom(...FIELDS) })
        .chain(({ id, field }) =>
          arbValue(first, field, first.records.get(id)!).map((value) => ({ id, field, value })),
        );
      await fc.assert(
        fc.asyncProperty(arb, async ({ id, field, value }) => {
          const original = first.records.get(id)!;
          const forged = withField(original, field, value);
          fc.pre(!sameRecord(forged, original));
          const s = await scene();
          const { rollup, mallory } = s;
          const before = await snapshot(s);

          expect(await rollup.isStanding(original)).to.equal(standing.has(BigInt(original.id)));
          expect(await rollup.isStanding(forged)).to.equal(false);
          expect(await rollup.isFinal(forged)).to.equal(false);

          const claim = encode(s, "claimExit", [{ ...s.claim, batch: forged }]);
          expect(await revertName(s, () => send(s, mallory, claim))).to.equal("BatchNotStanding");

          const asBatch = encode(s, "proveFraud", [{ ...s.proof, batch: forged }]);
          await commit(s, mallory, asBatch);
          expect(await revertName(s, () => send(s, mallory, asBatch))).to.equal("BatchNotStanding");

          const asParent = encode(s, "proveFraud", [{ ...s.proof, parent: forged }]);
          await commit(s, mallory, asParent);
          expect(await revertName(s, () => send(s, mallory, asParent))).to.be.oneOf([
            "NotTheParent",
            "BatchNotStanding",
          ]);

          // INVARIANT: the forged record moved no ETH and touched neither the chain nor the exits.
          await expectUnchanged(s, before, `batch ${id}, ${field}`);
        }),
        { numRuns },
      );
    });
  });
});
