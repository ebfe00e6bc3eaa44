import { expect } from "chai";
import { Wallet, parseEther } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import { ROLES } from "../../src/devnet/deployment";
import { Operator } from "../../src/optimistic/operator";
import { requestJson } from "../../src/net/client";
import type { DaemonStatus } from "../../src/optimistic/daemon";
import { readL1 } from "../../src/optimistic/l1-view";
import { rebuild } from "../../src/optimistic/watcher";
import { signTransfer } from "../../src/optimistic/client";
import { buildHostileBatch, rawBatch, sendRaw as sendRawTx, standardCalldata } from "../../src/optimistic/attacker";
import { liabilities } from "../optimistic/fixtures";
import { sendRaw, wrongRootBatch } from "../optimistic/attacks/attacker";
import { deployOn, type DevDeployment } from "./deploy";
import { startChain, startTask, stopAll, type Child, type DevChain } from "./processes";

/**
 * The watcher daemon as its own process (`npx hardhat watch --network localhost`) against a `hardhat node` child:
 * it checks the honest operator's batches, catches a batch an attacker posts straight to the contract with its
 * own raw transaction, resumes after a restart and survives an `evm_revert` of the chain under it.
 */
describe("# devnet: watch (watcher daemon process)", function () {
  let chain: DevChain;
  let deployed: DevDeployment;
  let rollup: OptimisticRollup;
  let operator: Operator;
  let watcher: Child;
  let statusUrl: string;
  let watcherAddress: string;
  const users: Wallet[] = [];

  async function startWatcher(remote = false): Promise<void> {
    const { child, ready } = await startTask(
      chain,
      "watch",
      ["watch", "--deployment", deployed.path, "--poll-ms", "200"],
      { remote },
    );
    watcher = child;
    statusUrl = `${ready.url}/status`;
  }

  /** An invalid batch sent as a raw submitBatch call from the operator's own account; its id and when it landed. */
  async function postBadBatch(salt: number): Promise<{ id: bigint; block: number; at: number }> {
    const attacker = await deployed.signer(ROLES.optimisticOperator);
    const receipt = await sendRaw(rollup, attacker, await wrongRootBatch(rollup, salt));
    expect(receipt.status).to.equal(1);
    return { id: await rollup.tipId(), block: receipt.blockNumber, at: Date.now() };
  }

  async function expectSolvent(): Promise<void> {
    const held = await chain.provider.getBalance(await rollup.getAddress());
    const owed = await liabilities(rollup);
    expect(held >= owed, `bridge holds ${held} wei but owes ${owed}`).to.equal(true);
  }

  /** A deposit to a fresh L2 key, batched by the honest operator; the key, to sign with later. */
  async function honestBatch(amount: string): Promise<Wallet> {
    const user = await deployed.signer(10);
    const l2 = new Wallet(Wallet.createRandom().privateKey);
    await (await rollup.connect(user).deposit(l2.address, { value: parseEther(amount) })).wait();
    await operator.postPending();
    users.push(l2);
    return l2;
  }

  /**
   * A batch whose one transfer spends more than its sender holds, signed by the sender, with the state roots the
   * overdraft would give: built on the state rebuilt from L1 (never the honest operator's) and sent as a raw
   * submitBatch from the operator's account.
   */
  async function postOverdraft(from: Wallet, to: Wallet): Promise<{ id: bigint; block: number }> {
    const attacker = await deployed.signer(ROLES.optimisticOperator);
    const view = await readL1(rollup);
    const state = rebuild(view).state;
    const [fromIndex, toIndex] = [state.findAccount(from.address)!, state.findAccount(to.address)!];
    const tx = signTransfer(view.domain, from.signingKey, {
      from: fromIndex,
      to: toIndex,
      amount: parseEther("50"),
      fee: 0n,
      nonce: state.accounts.get(fromIndex)!.nonce,
    });
    const feeRecipient = await attacker.getAddress();
    const params = deployed.optimistic!.params;
    const built = buildHostileBatch(rollup, attacker, view, params, feeRecipient, { kind: "overdraft", tx });
    const sent = await sendRawTx(
      attacker,
      await rollup.getAddress(),
      standardCalldata(rollup.interface, rawBatch(built, feeRecipient)),
    );
    expect(sent.receipt?.status, sent.error?.message).to.equal(1);
    return { id: await rollup.tipId(), block: sent.receipt!.blockNumber };
  }

  before(async function () {
    chain = await startChain();
    deployed = await deployOn(chain, { optimistic: { challengePeriod: 3600, batchSize: 64 } });
    rollup = deployed.optimistic!.rollup;
    const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
    const opSigner = await deployed.signer(ROLES.optimisticOperator);
    operator = new Operator(rollup, opSigner, Wallet.createRandom().address, deployed.optimistic!.params, domain);
    watcherAddress = await (await deployed.signer(ROLES.watcher)).getAddress();
    await honestBatch("2");
    await startWatcher();
  });

  after(async function () {
    await stopAll();
  });

  it("should check the operator's batch and say its state root matches", async function () {
    const line = await watcher.waitFor(/^batch 1 \(0x[0-9a-f]{4}…\): 1 txs, checked, state root matches$/);
    expect(line).to.match(/batch 1/);
    const status = await requestJson<DaemonStatus>(statusUrl);
    expect(status.batchesChecked).to.equal(1);
    expect(status.fraudsProven).to.equal(0);
  });

  it("should prove a bad batch an attacker posted straight to the contract, by itself", async function () {
    const bondBefore = await rollup.bonded();
    expect(bondBefore).to.equal(true);
    const from = watcher.lines.length;
    const bad = await postBadBatch(1);
    const line = await watcher.waitFor(
      new RegExp(`^batch ${bad.id} \\(0x[0-9a-f]{4}…\\): fraud in chunk 0`),
      60_000,
      from,
    );
    const delayMs = Date.now() - bad.at;
    const proven = await rollup.queryFilter(rollup.filters.FraudProven(bad.id));
    expect(proven).to.have.length(1);
    expect(proven[0].args.challenger).to.equal(watcherAddress);
    const slashed = await rollup.queryFilter(rollup.filters.OperatorSlashed());
    expect(slashed).to.have.length(1);
    expect(slashed[0].args.beneficiary).to.equal(watcherAddress);
    expect(line).to.contain("(StateRootMismatch)");
    expect(line).to.contain(`proof tx ${proven[0].transactionHash}`);
    expect(line).to.contain(`batch ${bad.id} rolled back`);
    expect(line).to.contain(`slashed 1.0 ETH, paid 0.5 ETH to ${watcherAddress}`);
    expect(await rollup.tipId()).to.equal(1n);
    console.log(
      `      bad batch to fraud proof: ${delayMs} ms, blocks ${bad.block} → ${proven[0].blockNumber} ` +
        `(commit and proof, one block each)`,
    );
    const status = await requestJson<DaemonStatus>(statusUrl);
    expect(status.fraudsProven).to.equal(1);
    expect(status.lastFraud?.proofTx).to.equal(proven[0].transactionHash);
    await expectSolvent();
  });

  it("should resume from L1 after a restart (on the remote network config) and prove what landed while it was down", async function () {
    await watcher.stop();
    // SIGTERM stops it cleanly: status 0, not the SIGKILL that follows a hang.
    expect([watcher.process.exitCode, watcher.process.signalCode]).to.deep.equal([0, null]);
    // The operator bonds again and goes on; a bad batch lands while no watcher runs.
    await (
      await rollup.connect(await deployed.signer(ROLES.optimisticOperator)).bond({ value: parseEther("1") })
    ).wait();
    await operator.restoreFromL1();
    await honestBatch("1");
    const honestId = await rollup.tipId();
    const bad = await postOverdraft(users[0], users[1]);
    // It comes back configured as for a public chain (RPC URL and keys from the environment).
    await startWatcher(true);
    await watcher.waitFor(/^batch 1 \(.*\): 1 txs, checked, state root matches$/);
    await watcher.waitFor(/^batch 2 \(.*\): rolled back on L1 \(fraud in chunk 0 \(StateRootMismatch\) proven by /);
    await watcher.waitFor(new RegExp(`^batch ${honestId} \\(.*\\): 1 txs, checked, state root matches$`));
    await watcher.waitFor(new RegExp(`^batch ${bad.id} \\(.*\\): fraud in chunk 0 \\(Overdraft\\), proof tx`));
    expect(await rollup.queryFilter(rollup.filters.FraudProven(bad.id))).to.have.length(1);
    expect(await rollup.tipId()).to.equal(honestId);
    await expectSolvent();
  });

  it("should notice an evm_revert under its cursor and check the chain that stands now", async function () {
    await (
      await rollup.connect(await deployed.signer(ROLES.optimisticOperator)).bond({ value: parseEther("1") })
    ).wait();
    const snapshot = await chain.provider.send("evm_snapshot", []);
    const first = await postBadBatch(3);
    await watcher.waitFor(new RegExp(`^batch ${first.id} \\(.*\\): fraud in chunk 0`));
    const from = watcher.lines.length;
    // The proof and the batch vanish; a different bad batch takes the same id.
    await chain.provider.send("evm_revert", [snapshot]);
    await watcher.waitFor(/^reorg: block \d+ is (gone|now 0x[0-9a-f]{4}…) \(was 0x[0-9a-f]{4}…\)/, 30_000, from);
    const second = await postBadBatch(4);
    expect(second.id).to.equal(first.id);
    await watcher.waitFor(new RegExp(`^batch ${second.id} \\(.*\\): fraud in chunk 0 .*proof tx`), 60_000, from);
    const proven = await rollup.queryFilter(rollup.filters.FraudProven(second.id));
    expect(proven).to.have.length(1);
    expect(proven[0].args.challenger).to.equal(watcherAddress);
    const status = await requestJson<DaemonStatus>(statusUrl);
    expect(status.reorgs).to.be.greaterThanOrEqual(1);
    await expectSolvent();
  });
});
