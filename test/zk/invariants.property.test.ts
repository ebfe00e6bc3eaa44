/**
 * The zk rollup's money invariants under honest and hostile actions mixed, with real Groth16 proofs:
 *   - the state root moves only with a batch whose proof verified (each move is a BatchProven of that root);
 *   - solvency (FORMAT.md `solvent`): ETH held >= L2 balances + unclaimed exits + pending deposits, read from
 *     the chain after every action.
 * Hostile actions: a batch forged from the verifier's constants, a replayed proof, a bad key, dust, a forced
 * exit larger than the balance. Every honest batch is proven (about 15 s each on 2 cores), so the runs are
 * few: `npm test` runs none of it; `npm run test:deep` runs 10 sequences of 2 to 6 actions.
 */
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { readFileSync } from "fs";
import { AbiCoder, toBeHex } from "ethers";
import { deployZkRollup } from "../../scripts/deploy-zk";
import { keyWithEightTimesYOne } from "../../src/zk/bad-key";
import { TEST_CIRCUIT } from "../../src/zk/circuit";
import { batchCommitment } from "../../src/zk/commitment";
import { exitProof } from "../../src/zk/exits";
import { ZkOperator } from "../../src/zk/operator";
import { terminateProver } from "../../src/zk/prover";
import { solvencyOf } from "../../src/zk/solvency";
import { signWithdraw } from "../../src/zk/state";
import { describeDeep, runs } from "../support/deep";
import { ETH, genesisState, loadTestCircuit, testKeys } from "./fixtures";

const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const abi = AbiCoder.defaultAbiCoder();

type Action =
  | { kind: "deposit"; who: 1 | 2; milli: number }
  | { kind: "batch" }
  | { kind: "withdraw-and-claim"; who: 1 | 2; milli: number }
  | { kind: "forced-exit"; who: 1 | 2; eth: number }
  | { kind: "forged-proof" }
  | { kind: "replayed-proof" }
  | { kind: "bad-key" }
  | { kind: "dust" };

const arbAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("deposit" as const),
    who: fc.constantFrom(1 as const, 2 as const),
    milli: fc.integer({ min: 1, max: 3000 }),
  }),
  fc.constant({ kind: "batch" as const }),
  fc.record({
    kind: fc.constant("withdraw-and-claim" as const),
    who: fc.constantFrom(1 as const, 2 as const),
    milli: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({
    kind: fc.constant("forced-exit" as const),
    who: fc.constantFrom(1 as const, 2 as const),
    eth: fc.integer({ min: 1, max: 5 }),
  }),
  fc.constant({ kind: "forged-proof" as const }),
  fc.constant({ kind: "replayed-proof" as const }),
  fc.constant({ kind: "bad-key" as const }),
  fc.constant({ kind: "dust" as const }),
);

describeDeep("# zk invariants with real proofs (property)", function () {
  after(terminateProver);

  it("should keep the root proven and the rollup solvent under mixed honest and hostile actions", async function () {
    this.timeout(0);
    const circuit = await loadTestCircuit();
    const keys = await testKeys();
    const userKeys = { 1: keys.alice, 2: keys.bob } as const;
    await fc.assert(
      fc.asyncProperty(fc.array(arbAction, { minLength: 2, maxLength: 6 }), async (actions) => {
        const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
        try {
          const [operatorSigner, alice, bob] = await hre.ethers.getSigners();
          const signers = { 1: alice, 2: bob } as const;
          const { rollup } = await deployZkRollup(hre, {
            circuit: TEST_CIRCUIT,
            operator: operatorSigner,
            operatorKey: keys.operator.publicKey,
          });
          const operator = new ZkOperator(rollup, circuit, await genesisState(keys, await rollup.domain()));
          // Both users start with an account in the state, so every action has something to act on.
          for (const who of [1, 2] as const) {
            await rollup
              .connect(signers[who])
              .deposit(userKeys[who].publicKey.ax, userKeys[who].publicKey.ay, { value: ETH });
          }
          await operator.sync();
          await operator.postNext();
          const vkey = JSON.parse(readFileSync(circuit.artifacts.vkey, "utf8")) as {
            vk_alpha_1: string[];
            vk_beta_2: string[][];
            IC: string[][];
          };
          for (const action of actions) {
            const rootBefore = await rollup.stateRoot();
            const batchesBefore = await rollup.batchCount();
            switch (action.kind) {
              case "deposit":
                await rollup
                  .connect(signers[action.who])
                  .deposit(userKeys[action.who].publicKey.ax, userKeys[action.who].publicKey.ay, {
                    value: (BigInt(action.milli) * ETH) / 1000n,
                  });
                await operator.sync();
                break;
              case "batch":
                await operator.sync();
                if (operator.hasPending) await operator.postNext();
                break;
              case "withdraw-and-claim": {
                const pending = operator.pendingState;
                const account = pending.account(action.who);
                const amount = (BigInt(action.milli) * ETH) / 1000n;
                if (!account || account.balance < amount) break;
                operator.submit(
                  signWithdraw(pending, userKeys[action.who], {
                    from: action.who,
                    amount,
                    fee: 0n,
                    nonce: account.nonce,
                  }),
                );
                await operator.sync();
                const posted = await operator.postNext();
                for (const exit of posted.exits) {
                  await rollup.claimWithdrawal(
                    posted.batchNumber,
                    exit.slot,
                    exit.owner,
                    exit.amount,
                    exitProof(2, posted.exits, exit.slot),
                  );
                }
                break;
              }
              case "forced-exit":
                // Possibly more than the balance: answered as refused, never paid.
                await rollup.connect(signers[action.who]).requestForcedExit(action.who, BigInt(action.eth) * ETH);
                await operator.sync();
                break;
              case "forged-proof": {
                // Mint 3 ETH to the operator, proven by A = α, B = β, C = −vk_x.
                const ops = new Uint8Array(28);
                ops[0] = 3;
                const code = (18n << 35n) | 3n;
                for (let i = 0; i < 5; i++) ops[7 + i] = Number((code >> BigInt(8 * (4 - i))) & 0xffn);
                const consumed = await rollup.depositsConsumed();
                const chain = await rollup.poseidonChain(consumed);
                const commitment = batchCommitment(
                  { oldRoot: rootBefore, newRoot: 42n, chainBefore: chain, chainAfter: chain },
                  ops,
                );
                const mul = async (p: string[], s: bigint) =>
                  abi
                    .decode(
                      ["uint256", "uint256"],
                      await hre.ethers.provider.call({
                        to: toBeHex(7, 20),
                        data: abi.encode(["uint256", "uint256", "uint256"], [BigInt(p[0]), BigInt(p[1]), s]),
                      }),
                    )
                    .map(BigInt);
                const add = async (p: bigint[], q: bigint[]) =>
                  abi
                    .decode(
                      ["uint256", "uint256"],
                      await hre.ethers.provider.call({
                        to: toBeHex(6, 20),
                        data: abi.encode(["uint256", "uint256", "uint256", "uint256"], [...p, ...q]),
                      }),
                    )
                    .map(BigInt);
                const vkX = await add(
                  await add(vkey.IC[0].slice(0, 2).map(BigInt), await mul(vkey.IC[1], commitment)),
                  await mul(vkey.IC[2], await rollup.domain()),
                );
                const beta = vkey.vk_beta_2.map((c) => c.map(BigInt));
                await expect(
                  rollup.submitBatch(
                    42n,
                    ops,
                    [BigInt(vkey.vk_alpha_1[0]), BigInt(vkey.vk_alpha_1[1])],
                    [
                      [beta[0][1], beta[0][0]],
                      [beta[1][1], beta[1][0]],
                    ],
                    [vkX[0], (Q - vkX[1]) % Q],
                  ),
                ).to.be.revertedWithCustomError(rollup, "InvalidProof");
                break;
              }
              case "replayed-proof": {
                const last = operator.batches[operator.batches.length - 1];
                const { a, b, c } = last.proof.proof;
                await expect(rollup.submitBatch(last.built.header.newRoot, last.built.opsBytes, a, b, c)).to.be
                  .reverted;
                break;
              }
              case "bad-key": {
                const key = keyWithEightTimesYOne();
                await expect(
                  rollup.connect(alice).deposit(key.ax, key.ay, { value: ETH }),
                ).to.be.revertedWithCustomError(rollup, "InvalidKey");
                break;
              }
              case "dust":
                await expect(
                  rollup.connect(bob).deposit(userKeys[2].publicKey.ax, userKeys[2].publicKey.ay, { value: 1n }),
                ).to.be.revertedWithCustomError(rollup, "BelowMinimum");
                break;
            }
            // INVARIANT: the root moves only with a proven batch, and then to that batch's root.
            const rootAfter = await rollup.stateRoot();
            const batchesAfter = await rollup.batchCount();
            if (rootAfter !== rootBefore) {
              expect(batchesAfter).to.equal(batchesBefore + 1n);
              const [proven] = await rollup.queryFilter(rollup.filters.BatchProven(batchesAfter));
              expect(proven.args.newRoot).to.equal(rootAfter);
              expect(rootAfter).to.equal(operator.state.root);
            }
            // INVARIANT (solvency), from the chain alone.
            const s = await solvencyOf(rollup);
            expect(s.solvent, `holds ${s.held}, owes ${s.owed} after ${action.kind}`).to.equal(true);
          }
        } finally {
          await hre.network.provider.send("evm_revert", [snapshot]);
        }
      }),
      { numRuns: runs(1, 10) },
    );
  });
});
