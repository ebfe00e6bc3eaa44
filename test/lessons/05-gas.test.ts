/**
 * Lesson 5 checks (docs/lessons/05-gas): the learner's calldata pricing against the receipts of real
 * transactions on the Hardhat chain (execution gas read from the node's trace, not from any formula) and
 * against src/bench; the learner's blob count against the project's blob packing.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getBytes, toBeHex, type TransactionResponse } from "ethers";
import { SparseMerkleTree, keccakHasher } from "../../src/merkle";
import { addressToRecipient } from "../../src/encoding/deposit";
import { chargedGas as projectChargedGas, countBytes } from "../../src/bench/calldata";
import { blobsNeeded, packBlobs, PAYLOAD_BYTES_PER_BLOB } from "../../src/bench/blobs";
import * as exercise from "../../docs/lessons/05-gas/exercise";
import * as solution from "../../docs/lessons/05-gas/solution";
import { attempt, implementations } from "./check";

interface TraceStep {
  gas: number;
  gasCost: number;
}

/** gasUsed of a mined tx, and the gas its execution took according to the node's own trace (0 for an EOA). */
async function measured(tx: TransactionResponse): Promise<{ data: Uint8Array; gasUsed: bigint; execution: bigint }> {
  const receipt = (await tx.wait())!;
  const trace: { structLogs: TraceStep[] } = await hre.network.provider.send("debug_traceTransaction", [tx.hash]);
  const steps = trace.structLogs;
  const execution =
    steps.length === 0 ? 0n : BigInt(steps[0].gas - steps[steps.length - 1].gas + steps[steps.length - 1].gasCost);
  return { data: getBytes(tx.data), gasUsed: receipt.gasUsed, execution };
}

async function contractsFixture() {
  const merkle = await hre.ethers.deployContract("KeccakMerkleHarness");
  const queue = await hre.ethers.deployContract("DepositQueueHarness");
  return { merkle, queue, signers: await hre.ethers.getSigners() };
}

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 05-gas (${label})`, function () {
    describe("# floorGas", function () {
      it("should equal what plain ETH transfers carrying data are charged, byte for byte", async function () {
        const { signers } = await loadFixture(contractsFixture);
        await attempt(this, () => impl.floorGas(new Uint8Array()));
        const payloads = [new Uint8Array(0), new Uint8Array(100), new Uint8Array(100).fill(0xff)];
        payloads.push(...fc.sample(fc.uint8Array({ maxLength: 600 }), { numRuns: 4, seed: 7 }));
        for (const data of payloads) {
          const tx = await signers[1].sendTransaction({ to: signers[2].address, data: toBeHexBytes(data) });
          const { gasUsed } = await measured(tx);
          expect(impl.floorGas(data), `${data.length} bytes`).to.equal(gasUsed);
        }
      });
    });

    describe("# chargedGas", function () {
      it("should equal the receipt when the floor applies and when execution dominates", async function () {
        const { merkle, queue, signers } = await loadFixture(contractsFixture);
        await attempt(this, () => impl.chargedGas(new Uint8Array(), 0n));
        const tree = new SparseMerkleTree(32, keccakHasher);
        tree.update(77n, 0xabcdefn);
        const proof = tree.proof(77n);
        const calls = [
          // A Merkle check: ~1.2 KB of calldata, little execution, so the floor applies.
          await merkle.verify.populateTransaction(
            toBeHex(tree.root, 32),
            toBeHex(0xabcdefn, 32),
            77n,
            proof.siblings.map((s) => toBeHex(s, 32)),
          ),
          // A deposit: 36 bytes, two new storage slots, so execution dominates.
          await queue.deposit.populateTransaction(addressToRecipient(signers[3].address), { value: 10n }),
        ];
        const floorApplied: boolean[] = [];
        for (const call of calls) {
          const { data, gasUsed, execution } = await measured(await signers[3].sendTransaction(call));
          expect(impl.chargedGas(data, execution), `${data.length} bytes, execution ${execution}`).to.equal(gasUsed);
          floorApplied.push(gasUsed === impl.floorGas(data));
        }
        expect(floorApplied, "the floor applied to the Merkle check, not the deposit").to.deep.equal([true, false]);
      });

      it("should agree with the benchmark's pricing for any bytes and execution", async function () {
        await attempt(this, () => impl.chargedGas(new Uint8Array(), 0n));
        fc.assert(
          fc.property(
            fc.uint8Array({ maxLength: 2000 }),
            fc.bigInt({ min: 0n, max: 1_000_000n }),
            (data, execution) => {
              const want = projectChargedGas(countBytes(data), execution, "osaka");
              const ours = impl.chargedGas(data, execution);
              const input = `${data.length} bytes (${data.filter((b) => b === 0).length} zero), execution ${execution}`;
              expect(ours, `${input}: ${want} gas expected, yours is ${ours}`).to.equal(want);
            },
          ),
          { numRuns: 200 },
        );
      });
    });

    describe("# blobsFor", function () {
      it("should count the blobs the project's packing produces", async function () {
        await attempt(this, () => impl.blobsFor(0));
        for (const size of [0, 1, PAYLOAD_BYTES_PER_BLOB - 4, PAYLOAD_BYTES_PER_BLOB - 3, 2 * PAYLOAD_BYTES_PER_BLOB]) {
          expect(impl.blobsFor(size), `${size} bytes`).to.equal(packBlobs(new Uint8Array(size)).length);
        }
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 6 * PAYLOAD_BYTES_PER_BLOB }), (size) => {
            expect(impl.blobsFor(size), `a ${size}-byte payload: ${blobsNeeded(size)} blob(s) expected`).to.equal(
              blobsNeeded(size),
            );
          }),
          { numRuns: 200 },
        );
      });
    });
  });
}

function toBeHexBytes(data: Uint8Array): string {
  return "0x" + Buffer.from(data).toString("hex");
}
