import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  Deposit,
  DepositChain,
  DepositError,
  addressToRecipient,
  hashDeposit,
  readDeposits,
} from "../../src/encoding/deposit";

const recipientOf = (n: number): string => ethers.toBeHex(BigInt(n) * 0x1234567n + 1n, 32);
const ONE_ETH = ethers.parseEther("1");

describe("DepositQueue", function () {
  async function deployQueue() {
    const signers = await ethers.getSigners();
    const queue = await ethers.deployContract("DepositQueueHarness");
    return { queue, signers };
  }

  /** Three deposits from three people, none consumed. */
  async function deployWithDeposits() {
    const { queue, signers } = await deployQueue();
    const chain = new DepositChain();
    const amounts = [ONE_ETH, 2n * ONE_ETH, 3n];
    for (let i = 0; i < amounts.length; i++) {
      const d: Deposit = { sender: signers[i + 1].address, recipient: recipientOf(i), amount: amounts[i] };
      await queue.connect(signers[i + 1]).deposit(d.recipient, { value: d.amount });
      chain.push(d);
    }
    return { queue, signers, chain };
  }

  describe("# deposit", function () {
    it("should extend the hash chain exactly as DepositChain does", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({ who: fc.integer({ min: 1, max: 5 }), amount: fc.bigInt({ min: 1n, max: 10n ** 20n }) }),
            {
              minLength: 1,
              maxLength: 6,
            },
          ),
          async (deposits) => {
            const { queue, signers } = await loadFixture(deployQueue);
            const chain = new DepositChain();
            for (const [i, { who, amount }] of deposits.entries()) {
              const d: Deposit = { sender: signers[who].address, recipient: recipientOf(i), amount };
              const { index, chainHash } = chain.push(d);
              await expect(queue.connect(signers[who]).deposit(d.recipient, { value: amount }))
                .to.emit(queue, "DepositQueued")
                .withArgs(index, d.sender, d.recipient, amount, chainHash);
            }
            expect(await queue.depositCount()).to.equal(deposits.length);
            for (let count = 0; count <= chain.length; count++) {
              expect(await queue.depositChainHash(count)).to.equal(chain.hashAt(count));
            }
          },
        ),
        { numRuns: 6 },
      );
    });

    it("should hold the deposited ETH", async function () {
      const { queue, signers } = await loadFixture(deployQueue);
      await expect(queue.connect(signers[1]).deposit(recipientOf(0), { value: ONE_ETH })).to.changeEtherBalances(
        [signers[1], queue],
        [-ONE_ETH, ONE_ETH],
      );
    });

    it("should revert with ZeroDeposit for 0 wei", async function () {
      const { queue, signers } = await loadFixture(deployQueue);
      await expect(queue.connect(signers[1]).deposit(recipientOf(0)))
        .to.be.revertedWithCustomError(queue, "ZeroDeposit")
        .withArgs(signers[1].address, recipientOf(0));
    });
  });

  describe("# depositChainHash", function () {
    it("should be zero before any deposit and revert beyond the count", async function () {
      const { queue } = await loadFixture(deployWithDeposits);
      expect(await queue.depositChainHash(0)).to.equal(ethers.ZeroHash);
      await expect(queue.depositChainHash(4))
        .to.be.revertedWithCustomError(queue, "DepositCountOutOfRange")
        .withArgs(4n, 3n);
    });
  });

  describe("# consume", function () {
    it("should consume the next deposits and emit the range with its chain hash", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      expect(await queue.consume.staticCall(2)).to.deep.equal([0n, 2n]);
      await expect(queue.consume(2)).to.emit(queue, "DepositsConsumed").withArgs(0n, 2n, chain.hashAt(2));
      await expect(queue.consume(1)).to.emit(queue, "DepositsConsumed").withArgs(2n, 3n, chain.hashAt(3));
      expect(await queue.depositsConsumed()).to.equal(3n);
    });

    it("should allow consuming nothing, without an event", async function () {
      const { queue } = await loadFixture(deployWithDeposits);
      await expect(queue.consume(0)).to.not.emit(queue, "DepositsConsumed");
      expect(await queue.depositsConsumed()).to.equal(0n);
    });

    it("should revert with NotEnoughDeposits when fewer are waiting", async function () {
      const { queue } = await loadFixture(deployWithDeposits);
      await queue.consume(2);
      await expect(queue.consume(2)).to.be.revertedWithCustomError(queue, "NotEnoughDeposits").withArgs(2n, 1n);
    });
  });

  describe("# rewind", function () {
    it("should move the consumed count back so the deposits wait again", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      await queue.consume(3);
      await expect(queue.rewind(1)).to.emit(queue, "DepositsRewound").withArgs(3n, 1n);
      expect(await queue.depositsConsumed()).to.equal(1n);
      await expect(queue.consume(2)).to.emit(queue, "DepositsConsumed").withArgs(1n, 3n, chain.hashAt(3));
    });

    it("should revert with RewindBeyondConsumed when moving forward", async function () {
      const { queue } = await loadFixture(deployWithDeposits);
      await queue.consume(1);
      await expect(queue.rewind(2)).to.be.revertedWithCustomError(queue, "RewindBeyondConsumed").withArgs(2n, 1n);
      await expect(queue.rewind(1)).to.not.emit(queue, "DepositsRewound");
    });
  });

  describe("# isDeposit", function () {
    it("should match only the exact deposit at its index", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      const d = chain.get(1);
      expect(await queue.isDeposit(1, d.sender, d.recipient, d.amount)).to.equal(true);
      expect(await queue.isDeposit(0, d.sender, d.recipient, d.amount)).to.equal(false);
      expect(await queue.isDeposit(1, chain.get(0).sender, d.recipient, d.amount)).to.equal(false);
      expect(await queue.isDeposit(1, d.sender, recipientOf(9), d.amount)).to.equal(false);
      expect(await queue.isDeposit(1, d.sender, d.recipient, d.amount + 1n)).to.equal(false);
      expect(await queue.isDeposit(3, d.sender, d.recipient, d.amount)).to.equal(false);
    });
  });

  describe("# refund", function () {
    it("should pay a waiting deposit back to its sender once", async function () {
      const { queue, signers, chain } = await loadFixture(deployWithDeposits);
      const d = chain.get(1);
      await expect(queue.refund(1, d.sender, d.recipient, d.amount)).to.changeEtherBalances(
        [signers[2], queue],
        [d.amount, -d.amount],
      );
      expect(await queue.isDepositRefunded(1)).to.equal(true);
      await expect(queue.refund(1, d.sender, d.recipient, d.amount))
        .to.be.revertedWithCustomError(queue, "DepositAlreadyRefunded")
        .withArgs(1n);
    });

    it("should emit DepositRefunded", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      const d = chain.get(2);
      await expect(queue.refund(2, d.sender, d.recipient, d.amount))
        .to.emit(queue, "DepositRefunded")
        .withArgs(2n);
    });

    it("should not refund a consumed, unknown or misdescribed deposit", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      const d = chain.get(0);
      await queue.consume(1);
      await expect(queue.refund(0, d.sender, d.recipient, d.amount))
        .to.be.revertedWithCustomError(queue, "DepositAlreadyConsumed")
        .withArgs(0n, 1n);
      await expect(queue.markRefunded(3)).to.be.revertedWithCustomError(queue, "DepositNotFound").withArgs(3n, 3n);
      const e = chain.get(1);
      await expect(queue.refund(1, e.sender, e.recipient, e.amount * 2n))
        .to.be.revertedWithCustomError(queue, "DepositMismatch")
        .withArgs(1n, e.sender, e.recipient, e.amount * 2n);
    });

    it("should never consume a refunded deposit", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      const d = chain.get(1);
      await queue.refund(1, d.sender, d.recipient, d.amount);
      await queue.consume(1);
      await expect(queue.consume(2)).to.be.revertedWithCustomError(queue, "DepositAlreadyRefunded").withArgs(1n);
    });

    it("should refund deposits whose batch was rolled back", async function () {
      const { queue, signers, chain } = await loadFixture(deployWithDeposits);
      await queue.consume(3);
      await queue.rewind(0);
      const d = chain.get(0);
      await expect(queue.refund(0, d.sender, d.recipient, d.amount)).to.changeEtherBalance(signers[1], d.amount);
    });

    it("should keep the queue's ETH equal to deposits minus refunds", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), async (refundIt) => {
          const { queue, chain } = await loadFixture(deployWithDeposits);
          let expected = 0n;
          for (let i = 0; i < chain.length; i++) {
            const d = chain.get(i);
            if (refundIt[i]) await queue.refund(i, d.sender, d.recipient, d.amount);
            else expected += d.amount;
          }
          expect(await ethers.provider.getBalance(queue)).to.equal(expected);
        }),
        { numRuns: 4 },
      );
    });
  });

  describe("# deposit, consume, rewind, refund (model)", function () {
    type Op =
      | { kind: "deposit"; who: number; amount: bigint }
      | { kind: "consume"; count: number }
      | { kind: "rewind"; to: number }
      | { kind: "refund"; index: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant("deposit" as const),
        who: fc.integer({ min: 1, max: 3 }),
        amount: fc.bigInt({ min: 1n, max: 10n ** 18n }),
      }),
      fc.record({ kind: fc.constant("consume" as const), count: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("rewind" as const), to: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant("refund" as const), index: fc.integer({ min: 0, max: 5 }) }),
    );

    it("should follow a simple model and never pay a deposit out twice", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 10 }), async (ops) => {
          const { queue, signers } = await loadFixture(deployQueue);
          const chain = new DepositChain();
          const refunded = new Set<number>();
          let consumed = 0;
          let held = 0n;
          for (const o of ops) {
            if (o.kind === "deposit") {
              const d = { sender: signers[o.who].address, recipient: recipientOf(chain.length), amount: o.amount };
              await queue.connect(signers[o.who]).deposit(d.recipient, { value: d.amount });
              chain.push(d);
              held += d.amount;
            } else if (o.kind === "consume") {
              const range = Array.from({ length: o.count }, (_, i) => consumed + i);
              const tx = queue.consume(o.count);
              if (consumed + o.count > chain.length) {
                await expect(tx).to.be.revertedWithCustomError(queue, "NotEnoughDeposits");
              } else if (range.some((i) => refunded.has(i))) {
                await expect(tx).to.be.revertedWithCustomError(queue, "DepositAlreadyRefunded");
              } else {
                await tx;
                consumed += o.count;
              }
            } else if (o.kind === "rewind") {
              const tx = queue.rewind(o.to);
              if (o.to > consumed) await expect(tx).to.be.revertedWithCustomError(queue, "RewindBeyondConsumed");
              else {
                await tx;
                consumed = o.to;
              }
            } else {
              const d = o.index < chain.length ? chain.get(o.index) : chain.length > 0 ? chain.get(0) : undefined;
              if (d === undefined) continue;
              const tx = queue.refund(o.index, d.sender, d.recipient, d.amount);
              if (o.index >= chain.length) await expect(tx).to.be.revertedWithCustomError(queue, "DepositNotFound");
              else if (o.index < consumed) {
                await expect(tx).to.be.revertedWithCustomError(queue, "DepositAlreadyConsumed");
              } else if (refunded.has(o.index)) {
                await expect(tx).to.be.revertedWithCustomError(queue, "DepositAlreadyRefunded");
              } else {
                await tx;
                refunded.add(o.index);
                held -= d.amount;
              }
            }
            // INVARIANT: the queue holds every deposit not refunded; consumed ones are never refunded.
            expect(await ethers.provider.getBalance(queue)).to.equal(held);
            expect(await queue.depositsConsumed()).to.equal(BigInt(consumed));
            for (let i = 0; i < chain.length; i++) {
              expect(await queue.isDepositRefunded(i)).to.equal(refunded.has(i));
              if (i < consumed) expect(refunded.has(i)).to.equal(false);
            }
          }
          expect(await queue.depositChainHash(chain.length)).to.equal(chain.head);
        }),
        { numRuns: 8 },
      );
    });
  });

  describe("# readDeposits", function () {
    it("should rebuild the queue from DepositQueued events", async function () {
      const { queue, chain } = await loadFixture(deployWithDeposits);
      const read = await readDeposits(queue);
      expect(
        read.map(({ index, sender, recipient, amount, chainHash }) => ({
          index,
          sender,
          recipient,
          amount,
          chainHash,
        })),
      ).to.deep.equal(
        Array.from({ length: chain.length }, (_, i) => ({ index: i, ...chain.get(i), chainHash: chain.hashAt(i + 1) })),
      );
      expect(new DepositChain(read).head).to.equal(await queue.depositChainHash(3));
    });

    it("should read from a given block on", async function () {
      const { queue } = await loadFixture(deployWithDeposits);
      const all = await readDeposits(queue);
      const later = await readDeposits(queue, all[1].blockNumber);
      expect(later.map((d) => d.index)).to.deep.equal([1, 2]);
    });

    it("should refuse events that break the chain, naming the deposit", async function () {
      const { queue, chain, signers } = await loadFixture(deployWithDeposits);
      const d = chain.get(0);
      // A wrong hash for deposit 3.
      await queue.emitForgedDepositQueued(3, d.sender, d.recipient, d.amount, ethers.ZeroHash);
      await expect(readDeposits(queue)).to.be.rejectedWith(DepositError, /DepositQueued 3: chainHash 0x0+ does not/);
      // The right hash for deposit 3, read from block 0 and from its own block on (checked against L1).
      const { queue: second } = await loadFixture(deployWithDeposits);
      const next = hashDeposit(chain.head, d);
      const receipt = await (await second.emitForgedDepositQueued(3, d.sender, d.recipient, d.amount, next)).wait();
      expect((await readDeposits(second)).map((q) => q.chainHash)).to.include(next);
      expect(await readDeposits(second, receipt!.blockNumber)).to.have.length(1);
      // A gap: deposit 5 right after deposit 3.
      await second.connect(signers[1]).emitForgedDepositQueued(5, d.sender, d.recipient, d.amount, next);
      await expect(readDeposits(second)).to.be.rejectedWith(DepositError, /DepositQueued 5: expected index 4/);
    });
  });

  describe("# hashDeposit", function () {
    it("should refuse malformed fields, naming them", function () {
      const sender = ethers.ZeroAddress;
      const recipient = addressToRecipient("0x00000000000000000000000000000000000000aa");
      expect(recipient).to.equal(ethers.toBeHex(0xaan, 32));
      expect(() => hashDeposit("0x12", { sender, recipient, amount: 1n })).to.throw(
        DepositError,
        /previous chain hash/,
      );
      expect(() => hashDeposit(ethers.ZeroHash, { sender: "0x12", recipient, amount: 1n })).to.throw(
        DepositError,
        /deposit.sender: "0x12"/,
      );
      expect(() => hashDeposit(ethers.ZeroHash, { sender, recipient: "0xab", amount: 1n })).to.throw(
        DepositError,
        /deposit.recipient/,
      );
      expect(() => hashDeposit(ethers.ZeroHash, { sender, recipient, amount: -1n })).to.throw(
        DepositError,
        /deposit.amount: -1/,
      );
      expect(() => new DepositChain().push({ sender, recipient, amount: 0n })).to.throw(
        DepositError,
        /deposit 0.amount/,
      );
      expect(() => new DepositChain().hashAt(1)).to.throw(DepositError, /after 1 deposits: the chain holds 0/);
    });
  });
});
