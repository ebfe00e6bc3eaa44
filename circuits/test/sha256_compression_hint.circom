pragma circom 2.1.0;

// circomlib's Sha256compression computes its 256 output bits outside the constraints
// (`out[i] <-- outCalc[i]`) and then ties each to the sum of the state and the last round
// (`out[31-k] === fsum[0].out[k]`). RollupBatch hashes its public input with Sha256, so that tie is
// what keeps a prover from choosing the commitment. The soundness test
// (test/zk/hints-sha256.test.ts) changes output bits of an honest witness and checks that a
// constraint breaks. One compression is about 29,000 constraints.

include "circomlib/circuits/sha256/sha256compression.circom";

component main = Sha256compression();
