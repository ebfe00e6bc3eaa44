/**
 * Lesson 6 checks (docs/lessons/06-devnet): one real devnet for the file (`npx hardhat devnet --only
 * optimistic`, its own chain on a free port), the learner's deposits sent from their own keys, and what
 * they return held against the chain's own logs. The steps of the lesson that need the L2 node and the
 * watcher (a transfer through the node's API, a batch, the watcher's verdict) are walk-through steps in the
 * README: they run only where the devnet starts those processes.
 */
import { expect } from "chai";
import { JsonRpcProvider, id, parseEther, zeroPadValue, Wallet } from "ethers";
import * as exercise from "../../docs/lessons/06-devnet/exercise";
import * as solution from "../../docs/lessons/06-devnet/solution";
import { readDeployment } from "../../src/devnet/deployment";
import { waitReady, type ReadyLine } from "../../src/devnet/ready";
import { hardhat, killAll, nodeAccountKeys } from "../devnet/processes";
import { attempt, implementations } from "./check";

const DEPOSIT_QUEUED = id("DepositQueued(uint256,address,bytes32,uint256,bytes32)");

let devnet: ReadyLine | undefined;

/** The chain's own record of the deposits queued for `owner`: raw logs, decoded by hand. */
async function queuedOnChain(owner: string): Promise<{ index: bigint; amount: bigint; tx: string }[]> {
  const provider = new JsonRpcProvider(devnet!.url as string, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const record = readDeployment(devnet!.deployment as string);
    const logs = await provider.getLogs({
      address: record.optimistic!.rollup,
      topics: [DEPOSIT_QUEUED, null, null, zeroPadValue(owner, 32)],
      fromBlock: 0,
    });
    return logs.map((log) => ({
      index: BigInt(log.topics[1]),
      amount: BigInt(log.data.slice(0, 66)),
      tx: log.transactionHash,
    }));
  } finally {
    provider.destroy();
  }
}

// Each implementation gets its own student accounts, so their deposits do not mix.
const KEYS = nodeAccountKeys(16);
const studentKey = { exercise: KEYS[12], solution: KEYS[13] } as const;

describe("# lesson 06-devnet: your own devnet", function () {
  before(async function () {
    const run = hardhat(["devnet", "--only", "optimistic", "--deployment", ".devnet/lesson-06.json"]);
    devnet = await waitReady(run.child, "devnet", 180_000);
  });
  after(() => killAll());

  for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
    describe(`# lesson 06-devnet (${label})`, function () {
      const key = studentKey[label];
      const me = new Wallet(key).address;

      describe("# depositFromMyKey", function () {
        it("should queue a deposit on the devnet's rollup and return the index L1 gave it", async function () {
          const amounts = [parseEther("0.25"), parseEther("1.5")];
          const returned: exercise.QueuedDeposit[] = [];
          for (const amount of amounts) {
            returned.push(
              await attempt(this, () =>
                impl.depositFromMyKey(devnet!.url as string, devnet!.deployment as string, key, amount),
              ),
            );
          }
          const onChain = await queuedOnChain(me);
          expect(
            onChain.map((d) => d.amount),
            "amounts L1 queued for your L2 account",
          ).to.deep.equal(amounts);
          expect(
            returned.map((d) => d.index),
            "indexes you returned vs DepositQueued.index",
          ).to.deep.equal(onChain.map((d) => d.index));
          expect(returned.map((d) => d.txHash)).to.deep.equal(onChain.map((d) => d.tx));
        });
      });

      describe("# depositsFor", function () {
        it("should find from L1 alone every deposit queued for an owner, in queue order", async function () {
          const someoneElse = new Wallet(KEYS[14]).address;
          const mine = await attempt(this, () =>
            impl.depositsFor(devnet!.url as string, devnet!.deployment as string, me),
          );
          expect(mine, `deposits for ${me}`).to.deep.equal((await queuedOnChain(me)).map((d) => d.amount));
          expect(
            await impl.depositsFor(devnet!.url as string, devnet!.deployment as string, someoneElse),
          ).to.deep.equal([]);
        });
      });
    });
  }
});
