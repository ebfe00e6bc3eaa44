/**
 * Attack: the operator of a second deployment (same operator key, same users, same account indices and nonces)
 * replays a transfer that alice signed for the first deployment. Written from the attacker's side: the signed
 * operation is lifted from deployment A, the batch is built and proven for deployment B's state by hand, and
 * posted with a raw submitBatch call; nothing goes through the honest operator of B.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { proveBatch, terminateProver } from "../../../src/zk/prover";
import { ZkOperator } from "../../../src/zk/operator";
import { ZkState, signTransfer } from "../../../src/zk/state";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

async function twoDeployments() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [operatorSigner, alice, bob] = await hre.ethers.getSigners();
  const deploy = () =>
    deployZkRollup(hre, { circuit: TEST_CIRCUIT, operator: operatorSigner, operatorKey: keys.operator.publicKey });
  const a = await deploy();
  const b = await deploy();
  // On B, alice and bob deposit and the operator credits them (one proven batch); A's state is alike, but only
  // its domain matters here: alice signs for A with it.
  const stateB = await ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, await b.rollup.domain());
  const operatorB = new ZkOperator(b.rollup, circuit, stateB);
  await b.rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 2n * ETH });
  await b.rollup.connect(bob).deposit(keys.bob.publicKey.ax, keys.bob.publicKey.ay, { value: ETH });
  await operatorB.sync();
  const batch1 = await operatorB.postNext();
  const stateA = operatorB.state.clone();
  const domainA = await a.rollup.domain();
  const onA = await ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, domainA);
  return { circuit, keys, a, b, operatorB, batch1, stateA, onA, domainA };
}

describe("# attack: a signature replayed on another deployment (zk)", function () {
  after(terminateProver);

  it("should not apply on deployment B a transfer alice signed for deployment A", async function () {
    const { circuit, keys, a, b, operatorB, batch1, onA, domainA } = await loadFixture(twoDeployments);
    expect(domainA).to.not.equal(await b.rollup.domain());
    // alice signs 1 ETH to bob for A (same indices and nonce 0 on both deployments).
    const signed = signTransfer(onA, keys.alice, { from: 1, to: 2, amount: ETH, fee: 0n, nonce: 0n });
    // B's operator builds the same batch on B's state with A's signature and tries to prove and post it.
    const built = operatorB.state.clone().buildBatch([signed], TEST_CIRCUIT.batchSize);
    const rootBefore = await b.rollup.stateRoot();
    let posted = false;
    try {
      const proof = await proveBatch(circuit.artifacts, built.input);
      const { a: pa, b: pb, c: pc } = proof.proof;
      await b.rollup.submitBatch(built.header.newRoot, built.opsBytes, pa, pb, pc);
      posted = true;
    } catch {
      // The witness breaks the signature check: the message carries A's domain, the circuit B's.
    }
    expect(posted, "deployment B accepted a transfer signed for deployment A").to.equal(false);
    expect(await b.rollup.stateRoot()).to.equal(rootBefore);
    // A proof is bound to its deployment too: B's proof of batch 1 does not verify with A's domain.
    const verifier = await hre.ethers.getContractAt("IZkBatchVerifier", b.addresses.verifier);
    const { a: pa, b: pb, c: pc } = batch1.proof.proof;
    const domainB = await b.rollup.domain();
    expect(await verifier.verifyProof(pa, pb, pc, [batch1.built.commitment, domainB])).to.equal(true);
    expect(await verifier.verifyProof(pa, pb, pc, [batch1.built.commitment, domainA])).to.equal(false);
    void a;
    // INVARIANT (solvency): B still holds its 3 ETH of deposits, all owed to alice and bob on B.
    expect(await hre.ethers.provider.getBalance(b.rollup)).to.equal(3n * ETH);
  });
});
