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
  const deploy = async () => {
    const d = await deployZkRollup(hre, {
      circuit: TEST_CIRCUIT,
      operator: operatorSigner,
      operatorKey: keys.operator.publicKey,
    });
    const domain = await d.rollup.domain();
    const state = await ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, domain);
    const operator = new ZkOperator(d.rollup, circuit, state);
    await d.rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 2n * ETH });
    await d.rollup.connect(bob).deposit(keys.bob.publicKey.ax, keys.bob.publicKey.ay, { value: ETH });
    await operator.sync();
    await operator.postNext();
    return { ...d, operator };
  };
  const a = await deploy();
  const b = await deploy();
  return { circuit, keys, a, b };
}

describe("# attack: a signature replayed on another deployment (zk)", function () {
  after(terminateProver);

  it("should not apply on deployment B a transfer alice signed for deployment A", async function () {
    const { circuit, keys, a, b } = await loadFixture(twoDeployments);
    expect(await a.rollup.domain()).to.not.equal(await b.rollup.domain());
    // alice signs 1 ETH to bob on A (same indices, nonce 0 on both deployments).
    const signed = signTransfer(a.operator.state, keys.alice, { from: 1, to: 2, amount: ETH, fee: 0n, nonce: 0n });
    // B's operator builds the same batch on B's state with A's signature and tries to prove it.
    const stateB = b.operator.state.clone();
    const built = stateB.buildBatch([signed], TEST_CIRCUIT.batchSize);
    const rootBefore = await b.rollup.stateRoot();
    let posted = false;
    try {
      const proof = await proveBatch(circuit.artifacts, built.input);
      const { a: pa, b: pb, c: pc } = proof.proof;
      await b.rollup.submitBatch(built.header.newRoot, built.opsBytes, pa, pb, pc);
      posted = true;
    } catch {
      // The witness breaks the signature check (the message carries A's domain), or L1 refuses the proof.
    }
    expect(posted, "deployment B accepted a transfer signed for deployment A").to.equal(false);
    expect(await b.rollup.stateRoot()).to.equal(rootBefore);
    // And a proof made for A's domain does not verify on B: the domain is in the public input L1 builds.
    const stateA = a.operator.state.clone();
    const builtA = stateA.buildBatch([signed], TEST_CIRCUIT.batchSize);
    const proofA = await proveBatch(circuit.artifacts, builtA.input);
    await expect(
      b.rollup.submitBatch(builtA.header.newRoot, builtA.opsBytes, proofA.proof.a, proofA.proof.b, proofA.proof.c),
    ).to.be.revertedWithCustomError(b.rollup, "InvalidProof");
    // INVARIANT (solvency): B still holds its 3 ETH of deposits, all owed to alice and bob on B.
    expect(await hre.ethers.provider.getBalance(b.rollup)).to.equal(3n * ETH);
  });
});
