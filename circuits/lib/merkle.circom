pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";

// The root of the Poseidon sparse Merkle tree in which `leaf` sits at the index whose bits are `pathBits`
// (bit i = 1: the node on level i is the RIGHT child), with bottom-up `siblings`. The same tree as
// src/merkle/sparse-merkle-tree.ts and contracts/libraries/PoseidonMerkle.sol.
// Constraints: D * (240 for Poseidon(2) + 1 for the left/right swap). pathBits must be bits: the caller
// takes them from a Num2Bits.
template MerkleRoot(D) {
    signal input leaf;
    signal input pathBits[D];
    signal input siblings[D];
    signal output root;

    component hashers[D];
    signal node[D + 1];
    signal swap[D];
    node[0] <== leaf;
    for (var i = 0; i < D; i++) {
        // left = bit ? sibling : node; right = bit ? node : sibling
        swap[i] <== pathBits[i] * (siblings[i] - node[i]);
        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== node[i] + swap[i];
        hashers[i].inputs[1] <== siblings[i] - swap[i];
        node[i + 1] <== hashers[i].out;
    }
    root <== node[D];
}
