/**
 * Optimistic rollup: batches of N signed transfers posted by the project's operator
 * (src/optimistic/operator.ts, its `build` + `submit`), the largest batch under the per-transaction
 * gas cap, the same batches as blobs, and one fraud proof per fault kind (run as scenarios).
 */
import { existsSync } from "fs";
import { join } from "path";
import { SigningKey, computeAddress, keccak256, parseEther, toUtf8Bytes } from "ethers";
import type { ContractTransactionReceipt } from "ethers";
import type { BenchContext, Workload } from "../context";
import { TX_GAS_CAP, type Profile } from "../profile";
import type { BenchRow } from "../types";
import { scenarioStep } from "./scenarioSteps";

/** Senders of the benchmark's transfers (a handful, each sending many with rising nonces). */
const USERS = 8;
/** One fraud proof per fault kind of FORMAT.md; each runs as a scenario whose last step is the challenge. */
const ALL_FAULTS: { kind: string; fault: Record<string, string>; extra?: object[] }[] = [
  { kind: "bad-state-root", fault: { kind: "bad-state-root" } },
  { kind: "mint", fault: { kind: "mint", to: "bob", amount: "1" } },
  { kind: "overdraft", fault: { kind: "overdraft", from: "bob", to: "alice", amount: "100" } },
  { kind: "forged-signature", fault: { kind: "forged-signature", from: "alice", to: "bob", amount: "1" } },
  { kind: "replay", fault: { kind: "replay", from: "alice" } },
  { kind: "skip-deposit", fault: { kind: "skip-deposit" }, extra: [{ do: "deposit", from: "dave", amount: "1" }] },
  { kind: "fake-exit", fault: { kind: "fake-exit", to: "bob", amount: "1" } },
  { kind: "malformed", fault: { kind: "malformed" } },
];
/** The quick profile's pair: a wrong root (state re-execution) and a bad signature (transaction check). */
const SOME_FAULTS = new Set(["bad-state-root", "forged-signature"]);

function faultsOf(profile: Profile) {
  return profile.fraudProofs === "all" ? ALL_FAULTS : ALL_FAULTS.filter((f) => SOME_FAULTS.has(f.kind));
}

function userKey(i: number): SigningKey {
  return new SigningKey(keccak256(toUtf8Bytes(`l2lab bench optimistic user ${i}`)));
}

const REQUIRED = [
  "scripts/deploy-optimistic.ts",
  "src/optimistic/operator.ts",
  "src/optimistic/client.ts",
  "src/optimistic/l1-view.ts",
  "src/optimistic/scenario.ts",
];

export const optimisticWorkload: Workload = {
  system: "optimistic",
  title: "Optimistic rollup",
  unavailable() {
    const root = join(__dirname, "..", "..", "..");
    for (const file of REQUIRED) if (!existsSync(join(root, file))) return `${file} is not there yet`;
    return null;
  },
  plan: (profile) =>
    profile.optimisticBatchSizes.length * (profile.blobs ? 2 : 1) +
    (profile.optimisticMaxFit ? (profile.blobs ? 2 : 1) : 0) +
    faultsOf(profile).length +
    1,
  async run(ctx: BenchContext) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { deployOptimistic } =
      require("../../../scripts/deploy-optimistic") as typeof import("../../../scripts/deploy-optimistic");
    const { Operator } = require("../../optimistic/operator") as typeof import("../../optimistic/operator");
    const { signTransfer } = require("../../optimistic/client") as typeof import("../../optimistic/client");
    const { readL1 } = require("../../optimistic/l1-view") as typeof import("../../optimistic/l1-view");
    /* eslint-enable @typescript-eslint/no-require-imports */
    type TransferTx = import("../../encoding/tx").TransferTx;

    const { hre } = ctx;
    const signers = await hre.ethers.getSigners();
    const operatorSigner = signers[0];
    const feeKey = userKey(1000);
    const sizes = ctx.profile.optimisticBatchSizes;
    const deployed = await deployOptimistic(hre, operatorSigner, { batchSize: 8192 });
    const rollup = deployed.rollup;
    const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
    const operator = new Operator(rollup, operatorSigner, computeAddress(feeKey), deployed.params, domain);

    // Users deposit on L1; one batch credits them on L2.
    const keys = Array.from({ length: USERS }, (_, i) => userKey(i));
    const addresses = keys.map((k) => computeAddress(k));
    for (let i = 0; i < USERS; i++) {
      await (await rollup.connect(signers[1 + i]).deposit(addresses[i], { value: parseEther("100") })).wait();
    }
    const deposits = await operator.postPending();
    await ctx.record({
      system: "optimistic",
      variant: "deposit-batch",
      posting: "calldata",
      batchSize: USERS,
      txs: deposits.receipts.map((r) => ({ label: "submitBatch (deposits)", hash: r.hash })),
      note: `a batch consuming ${USERS} queued L1 deposits`,
    });
    ctx.progress.tick("optimistic deposits");
    const indices = addresses.map((a) => {
      const index = operator.state.findAccount(a);
      if (index === undefined) throw new Error(`optimistic: deposit of user ${a} was not credited`);
      return index;
    });
    const nonces = new Array<number>(USERS).fill(0);

    const signBatch = (count: number): TransferTx[] => {
      const txs: TransferTx[] = [];
      for (let i = 0; i < count; i++) {
        const u = i % USERS;
        txs.push(
          signTransfer(domain, keys[u], {
            from: indices[u],
            to: indices[(u + 1) % USERS],
            amount: parseEther("0.001"),
            fee: parseEther("0.00001"),
            nonce: nonces[u]++,
          }),
        );
      }
      return txs;
    };
    const feeAccount = () => {
      const own = operator.state.findAccount(computeAddress(feeKey));
      if (own !== undefined) return own;
      let i = 0;
      while (operator.state.accounts.has(i)) i++;
      return i;
    };
    /** Builds and posts `txs` as one batch; on failure the operator's state and the nonces roll back. */
    const post = async (txs: TransferTx[]): Promise<ContractTransactionReceipt> => {
      const saved = operator.state.clone();
      const view = await readL1(rollup);
      try {
        return await operator.submit(operator.build(txs, view.deposits, view.forced, feeAccount()));
      } catch (error) {
        operator.state = saved;
        throw error;
      }
    };
    const measureBatch = async (txs: TransferTx[], note?: string): Promise<BenchRow> => {
      const receipt = await post(txs);
      const row = await ctx.record({
        system: "optimistic",
        variant: "batch",
        posting: "calldata",
        batchSize: txs.length,
        txs: [{ label: `submitBatch (${txs.length} transfers)`, hash: receipt.hash }],
        note,
      });
      ctx.progress.tick(`optimistic batch ${txs.length}`);
      if (ctx.profile.blobs) {
        const sent = await hre.ethers.provider.getTransaction(receipt.hash);
        const payload = Buffer.from(sent!.data.slice(10), "hex");
        const stateRoot = "0x" + operator.state.stateRoot.toString("hex");
        await ctx.postBlobBatch({
          system: "optimistic",
          variant: "batch",
          batchSize: txs.length,
          payload,
          postStateRoot: stateRoot,
        });
        ctx.progress.tick(`optimistic blob batch ${txs.length}`);
      }
      return row;
    };

    const rows: BenchRow[] = [];
    for (const size of sizes) rows.push(await measureBatch(signBatch(size)));

    if (ctx.profile.optimisticMaxFit && rows.length >= 2) {
      const [a, b] = rows.slice(-2);
      const perTx = (b.l1Gas - a.l1Gas) / (b.batchSize - a.batchSize);
      const fixed = b.l1Gas - perTx * b.batchSize;
      // The contract takes at most MAX_CHUNKS chunks of CHUNK_SIZE transfers: under cheaper calldata
      // pricing (cancun) that, not the gas cap, can be the limit.
      const capacity = Number(await rollup.MAX_CHUNKS()) * deployed.params.chunkSize;
      const byGas = Math.floor((Number(TX_GAS_CAP) - fixed) / perTx);
      let n = Math.min(byGas, capacity);
      const limit =
        byGas <= capacity
          ? `largest batch under the ${TX_GAS_CAP} gas cap (EIP-7825), found from the marginal ${perTx.toFixed(1)} gas per transfer`
          : `largest batch the rollup accepts (${capacity / deployed.params.chunkSize} chunks × ${deployed.params.chunkSize} transfers); the ${TX_GAS_CAP} gas cap would allow ~${byGas}`;
      const all = signBatch(n);
      // Unused transfers keep their nonces only if posted: rewind to what the posted prefix used.
      const rewind = (used: number) => {
        for (let i = used; i < all.length; i++) nonces[i % USERS]--;
      };
      let posted = false;
      for (let attempt = 0; attempt < 4 && !posted; attempt++) {
        try {
          rows.push(await measureBatch(all.slice(0, n), `${limit}: ${n} transfers`));
          rewind(n);
          posted = true;
        } catch {
          n = Math.floor(n * 0.99);
        }
      }
      if (!posted) {
        rewind(0);
        ctx.gap("optimistic", "largest batch", `no batch near ${n} transfers fit (${limit})`);
      }
    }

    {
      for (const { kind, fault, extra } of faultsOf(ctx.profile)) {
        await hre.network.provider.send("hardhat_reset");
        ctx.chainReset();
        const steps = [
          { do: "deposit", from: "alice", amount: "5" },
          { do: "deposit", from: "bob", amount: "1" },
          { do: "batch" },
          { do: "transfer", from: "alice", to: "bob", amount: "1", fee: "0.01" },
          { do: "batch" },
          ...(extra ?? []),
          { do: "batch", fault },
          { do: "challenge", by: "carol" },
        ];
        try {
          const step = await scenarioStep(
            hre,
            {
              name: `bench-fraud-${kind}`,
              description: `fraud proof: ${kind}`,
              system: "optimistic",
              params: {},
              steps,
            },
            steps.length - 1,
          );
          await ctx.record({
            system: "optimistic",
            variant: `fraud-proof:${kind}`,
            posting: "calldata",
            batchSize: 1,
            txs: step.txs.map((hash) => ({ label: `challenge (${kind})`, hash })),
            note: step.outcome,
          });
        } catch (error) {
          ctx.gap("optimistic", `fraud proof for ${kind}`, (error as Error).message.split("\n")[0]);
        }
        ctx.progress.tick(`optimistic fraud proof ${kind}`);
      }
    }
  },
};
