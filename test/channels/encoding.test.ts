import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { recoverAddress, Signature, SigningKey, TypedDataEncoder, ZeroHash } from "ethers";
import type { ChannelCodecHarness } from "../../typechain-types";
import { DigestSigner, recoverSigner } from "../../src/channels/crypto";
import {
  decodeLock,
  encodeLock,
  hashLock,
  lockProof,
  locksRoot,
  rootFrom,
  rootWithout,
} from "../../src/channels/locks";
import {
  CHANNEL_TYPES,
  domainSeparator,
  hashCooperativeClose,
  hashParties,
  hashRevocation,
  hashState,
  typedDataDomain,
  typedDigest,
} from "../../src/channels/state";
import type { ChannelState, Lock } from "../../src/channels/types";

async function harnessFixture(): Promise<{ harness: ChannelCodecHarness; chainId: bigint }> {
  const harness = (await (
    await hre.ethers.getContractFactory("ChannelCodecHarness")
  ).deploy()) as unknown as ChannelCodecHarness;
  const { chainId } = await hre.ethers.provider.getNetwork();
  return { harness, chainId };
}

const uint = (bits: number): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => hre.ethers.getAddress(`0x${Buffer.from(b).toString("hex")}`));
const stateArb: fc.Arbitrary<ChannelState> = fc.record({
  channelId: uint(256),
  nonce: uint(64),
  depositA: uint(256),
  depositB: uint(256),
  balanceA: uint(256),
  balanceB: uint(256),
  locksRoot: bytes32,
});
const lockArb: fc.Arbitrary<Lock> = fc.record({
  sender: fc.constantFrom(0 as const, 1 as const),
  amount: uint(96),
  expiry: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
  hashlock: bytes32,
});

describe("channel encoding (TypeScript ↔ Solidity)", function () {
  describe("# hashState", function () {
    it("should equal ChannelHashing.hashState and ethers' TypedDataEncoder for any state", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(stateArb, async (state) => {
          expect(await harness.hashState(state)).to.equal(hashState(state));
          expect(
            TypedDataEncoder.hashStruct("ChannelState", { ChannelState: CHANNEL_TYPES.ChannelState }, state),
          ).to.equal(hashState(state));
        }),
        { numRuns: 25 },
      );
    });

    it("should give the digest wallets sign (EIP-712) and the contract checks", async function () {
      const { harness, chainId } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(stateArb, address, async (state, verifyingContract) => {
          const domain = { chainId, verifyingContract };
          const digest = typedDigest(domainSeparator(domain), hashState(state));
          expect(await harness.stateDigest(verifyingContract, state)).to.equal(digest);
          const ethersTypes = { ChannelState: CHANNEL_TYPES.ChannelState };
          expect(TypedDataEncoder.hash(typedDataDomain(domain), ethersTypes, state)).to.equal(digest);
        }),
        { numRuns: 15 },
      );
    });

    it("should refuse a field that does not fit its type", function () {
      const state = {
        channelId: 1n,
        nonce: 1n << 64n,
        depositA: 0n,
        depositB: 0n,
        balanceA: 0n,
        balanceB: 0n,
        locksRoot: ZeroHash,
      };
      expect(() => hashState(state)).to.throw("nonce = 18446744073709551616: not a uint64");
    });
  });

  describe("# hashRevocation, hashCooperativeClose, hashParties", function () {
    it("should equal the Solidity library", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(uint(256), uint(64), uint(256), uint(256), async (id, nonce, a, b) => {
          expect(await harness.hashRevocation(id, nonce)).to.equal(hashRevocation(id, nonce));
          expect(
            TypedDataEncoder.hashStruct(
              "Revocation",
              { Revocation: CHANNEL_TYPES.Revocation },
              { channelId: id, nonce },
            ),
          ).to.equal(hashRevocation(id, nonce));
          expect(await harness.hashCooperativeClose(id, a, b)).to.equal(hashCooperativeClose(id, a, b));
        }),
        { numRuns: 15 },
      );
      await fc.assert(
        fc.asyncProperty(address, address, address, address, async (accountA, accountB, signerA, signerB) => {
          const parties = { accountA, accountB, signerA, signerB };
          expect(await harness.hashParties(parties)).to.equal(hashParties(parties));
        }),
        { numRuns: 10 },
      );
    });
  });

  describe("# hashLock", function () {
    it("should equal LockTree.hashLock and round-trip through its 50-byte layout", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(lockArb, async (lock) => {
          expect(await harness.hashLock(lock)).to.equal(hashLock(lock));
          const encoded = encodeLock(lock);
          expect(encoded.length).to.equal(2 + 100);
          expect(decodeLock(encoded)).to.deep.equal(lock);
        }),
        { numRuns: 25 },
      );
    });

    it("should refuse an amount that does not fit 12 bytes", function () {
      const lock: Lock = { sender: 0, amount: 1n << 96n, expiry: 1, hashlock: ZeroHash };
      expect(() => hashLock(lock)).to.throw("lock.amount");
    });
  });

  describe("# locksRoot and lockProof", function () {
    it("should give LockTree's root, and every proof should lead to it in both languages", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(fc.array(lockArb, { minLength: 0, maxLength: 9 }), async (locks) => {
          const leaves = locks.map(hashLock);
          const root = locksRoot(locks);
          expect(await harness.lockRoot(leaves)).to.equal(root);
          for (let i = 0; i < locks.length; i++) {
            const proof = lockProof(locks, i);
            expect(rootFrom(leaves[i], proof)).to.equal(root);
            expect(await harness.rootFrom(leaves[i], proof)).to.equal(root);
          }
        }),
        { numRuns: 12 },
      );
    });

    it("should shrink the tree as LockTree.rootWithout does, in any order of removal", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          fc
            .array(lockArb, { minLength: 1, maxLength: 7 })
            .chain((locks) =>
              fc.tuple(fc.constant(locks), fc.shuffledSubarray([...locks.keys()], { minLength: locks.length })),
            ),
          async ([locks, order]) => {
            const removed = new Set<number>();
            for (const index of order) {
              const proof = lockProof(locks, index, removed);
              expect(rootFrom(hashLock(locks[index]), proof)).to.equal(locksRoot(locks, removed));
              removed.add(index);
              expect(await harness.rootWithout(proof)).to.equal(locksRoot(locks, removed));
              expect(rootWithout(proof)).to.equal(locksRoot(locks, removed));
            }
            expect(locksRoot(locks, removed)).to.equal(ZeroHash);
          },
        ),
        { numRuns: 10 },
      );
    });

    it("should not prove a lock that is not in the tree", function () {
      const locks: Lock[] = [0, 1, 2].map((i) => ({
        sender: 0,
        amount: BigInt(i + 1),
        expiry: 100,
        hashlock: ZeroHash,
      }));
      const outsider = hashLock({ sender: 1, amount: 1n, expiry: 100, hashlock: ZeroHash });
      expect(rootFrom(outsider, lockProof(locks, 0))).to.not.equal(locksRoot(locks));
    });
  });

  describe("# DigestSigner and recoverSigner", function () {
    it("should sign byte for byte like ethers' SigningKey and recover like recoverAddress and ecrecover", async function () {
      const { harness } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(bytes32, bytes32, async (key, digest) => {
          fc.pre(BigInt(key) > 0n && BigInt(key) < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n);
          const signer = new DigestSigner(key);
          const signature = signer.sign(digest);
          expect(signature).to.equal(new SigningKey(key).sign(digest).serialized);
          expect(recoverSigner(digest, signature)).to.equal(recoverAddress(digest, signature));
          expect(await harness.recover(digest, signature)).to.equal(signer.address);
        }),
        { numRuns: 10 },
      );
    });

    it("should refuse malformed and malleable signatures as the contract does", async function () {
      const { harness } = await loadFixture(harnessFixture);
      const digest = hre.ethers.id("a state");
      const signature = Signature.from(new DigestSigner(hre.ethers.id("key")).sign(digest));
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = `0x${signature.r.slice(2)}${(n - BigInt(signature.s)).toString(16).padStart(64, "0")}${signature.v === 27 ? "1c" : "1b"}`;
      for (const bad of ["0x", `${signature.serialized}00`, highS, `${signature.serialized.slice(0, -2)}1d`]) {
        expect(recoverSigner(digest, bad)).to.equal(null);
        expect(await harness.recover(digest, bad)).to.equal(hre.ethers.ZeroAddress);
      }
    });
  });
});
