import { expect } from "chai";
import fc from "fast-check";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, parseEther } from "ethers";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { FaultSpec, Operator } from "../../src/optimistic/operator";
import { readL1 } from "../../src/optimistic/l1-view";
import { Watcher } from "../../src/optimistic/watcher";
import { signTransfer, signWithdraw } from "../../src/optimistic/client";
import { L2Tx } from "../../src/encoding/tx";
import { liabilities } from "./fixtures";
import { batchRecord } from "../../src/optimistic/records";

const USERS = 4;
const CHUNK_SIZE = 4;

/** Small chunks, so random batches span several chunks and proofs start from committed intermediate states. */
async function smallChunksFixture() {
  const signers = await ethers.getSigners();
  const [opSigner, challenger] = signers;
  const { rollup, params } = await deployOptimistic(hre, opSigner, { challengePeriod: 3600, chunkSize: CHUNK_SIZE });
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const keys = Array.from({ length: USERS }, (_, i) => new Wallet(ethers.id(`property user ${i}`)));
  const l1 = signers.slice(2, 2 + USERS);
  const operatorKey = new Wallet(ethers.id("property operator"));
  return { rollup, params, domain, keys, l1, opSigner, challenger, operatorKey };
}

type Op =
  | { kind: "deposit"; user: number; milli: number }
  | { kind: "transfer"; from: number; to: number; permille: number; feeMicro: number }
  | { kind: "withdraw"; from: number; permille: number };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("deposit" as const),
    user: fc.nat(USERS - 1),
    milli: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant("transfer" as const),
    from: fc.nat(USERS - 1),
    to: fc.nat(USERS - 1),
    permille: fc.integer({ min: 1, max: 900 }),
    feeMicro: fc.integer({ min: 1, max: 999 }),
  }),
  fc.record({
    kind: fc.constant("withdraw" as const),
    from: fc.nat(USERS - 1),
    permille: fc.integer({ min: 1, max: 500 }),
  }),
);

type Fixture = Awaited<ReturnType<typeof smallChunksFixture>>;

/** Seeds every user with a deposit, then applies the random ops: valid L2 txs go to the pool. */
async function playOps(f: Fixture, ops: Op[]): Promise<Operator> {
  const operator = new Operator(f.rollup, f.opSigner, f.operatorKey.address, f.params, f.domain);
  await operator.restoreFromL1();
  for (let i = 0; i < USERS; i++)
    await f.rollup.connect(f.l1[i]).deposit(f.keys[i].address, { value: parseEther("1") });
  await operator.postPending();
  const index = (i: number) => operator.state.findAccount(f.keys[i].address)!;
  for (const op of ops) {
    if (op.kind === "deposit") {
      await f.rollup.connect(f.l1[op.user]).deposit(f.keys[op.user].address, { value: BigInt(op.milli) * 10n ** 15n });
      continue;
    }
    const state = operator.projected();
    const sender = state.account(index(op.from));
    const amount = ((sender.balance * BigInt(op.permille)) / 1000n / 10n ** 12n) * 10n ** 12n;
    if (amount === 0n) continue;
    if (op.kind === "transfer") {
      const fee = BigInt(op.feeMicro) * 10n ** 12n;
      if (amount + fee > sender.balance) continue;
      operator.accept(
        signTransfer(f.domain, f.keys[op.from].signingKey, {
          from: index(op.from),
          to: index(op.to),
          amount,
          fee,
          nonce: sender.nonce,
        }),
      );
    } else {
      operator.accept(
        signWithdraw(f.domain, f.keys[op.from].signingKey, {
          from: index(op.from),
          recipient: f.l1[op.from].address,
          amount,
          fee: 10n ** 12n,
          nonce: sender.nonce,
        }),
      );
    }
  }
  return operator;
}

async function expectSolvent(f: Fixture): Promise<void> {
  expect(await ethers.provider.getBalance(f.rollup)).to.equal(await liabilities(f.rollup));
}

describe("# optimistic properties", function () {
  it("should never roll back a random valid batch, whichever tx is challenged", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 14 }), fc.nat(), async (ops, pick) => {
        const f = await loadFixture(smallChunksFixture);
        const operator = await playOps(f, ops);
        const { batchIds } = await operator.postPending();
        const id = batchIds[batchIds.length - 1];
        const view = await readL1(f.rollup);
        const txCount = view.batches[id].chunks.length * CHUNK_SIZE;
        const watcher = new Watcher(f.rollup, f.challenger);
        expect(await watcher.challengeFirstInvalid()).to.equal(null);
        const tx = pick % txCount;
        await expect(watcher.challengeTx(id, tx))
          .to.be.revertedWithCustomError(f.rollup, "ChunkIsValid")
          .withArgs(id, Math.floor(tx / CHUNK_SIZE));
        expect(await f.rollup.bonded()).to.equal(true);
        await expectSolvent(f);
      }),
      { numRuns: 6 },
    );
  });

  const arbCorruption = fc.oneof(
    fc.record({
      how: fc.constant("fault" as const),
      kind: fc.constantFrom(
        "bad-state-root",
        "mint",
        "overdraft",
        "forged-signature",
        "fake-exit",
        "malformed",
        "skip-deposit",
      ),
    }),
    fc.record({ how: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
    fc.record({
      how: fc.constant("commitment" as const),
      at: fc.nat(),
      field: fc.constantFrom("stateRoot", "exitRoot"),
    }),
  );

  it("should always prove a random single corruption of a batch, and stay solvent", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 2, maxLength: 12 }), arbCorruption, async (ops, corruption) => {
        const f = await loadFixture(smallChunksFixture);
        const operator = await playOps(f, [...ops, { kind: "deposit", user: 0, milli: 100 }]);
        const view = await readL1(f.rollup);
        const state = operator.state;
        const user0 = state.findAccount(f.keys[0].address)!;
        const txs: L2Tx[] = [];
        const reserved = new Set<number>();
        for (const d of view.deposits.slice(state.depositCursor)) {
          txs.push({ type: "deposit", to: state.findAccount("0x" + d.recipient.slice(-40))! });
        }
        txs.push(...(operator.pending as L2Tx[]));
        const feeAccount = state.findAccount(f.operatorKey.address) ?? state.nextFreeIndex();
        reserved.add(feeAccount);
        let fault: FaultSpec | undefined;
        if (corruption.how === "fault") {
          const next = operator.projected().account(user0).nonce;
          const kind = corruption.kind;
          if (kind === "overdraft" || kind === "forged-signature") {
            const signer = kind === "overdraft" ? f.keys[0] : f.keys[1];
            fault = {
              kind,
              tx: signTransfer(f.domain, signer.signingKey, {
                from: user0,
                to: user0 === 0 ? 1 : 0,
                amount: parseEther(kind === "overdraft" ? "100" : "0.001"),
                fee: 0n,
                nonce: next,
              }),
            };
          } else if (kind === "mint") fault = { kind, to: user0, amount: parseEther("3") };
          else if (kind === "fake-exit") fault = { kind, recipient: f.l1[0].address, amount: parseEther("1") };
          else fault = { kind } as FaultSpec;
        }
        const built = operator.build(txs, view.deposits, view.forced, feeAccount, fault);
        if (corruption.how === "flip") {
          const chunks = built.chunks.filter((c) => c.length > 0);
          const chunk = chunks[corruption.at % chunks.length];
          chunk[corruption.at % chunk.length] ^= 1 << corruption.bit;
        } else if (corruption.how === "commitment") {
          const s = built.states[corruption.at % built.states.length];
          s[corruption.field] = Buffer.from(ethers.getBytes(ethers.keccak256(s[corruption.field])));
        }
        await operator.submit(built);
        const result = await new Watcher(f.rollup, f.challenger).challengeFirstInvalid();
        expect(result, `corruption ${JSON.stringify(corruption)} was not proven`).to.not.equal(null);
        expect(await f.rollup.isStanding(await batchRecord(f.rollup, result!.invalid.batchId))).to.equal(false);
        expect(await f.rollup.bonded()).to.equal(false);
        await expectSolvent(f);
      }),
      { numRuns: 14 },
    );
  });
});
