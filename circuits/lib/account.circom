pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "merkle.circom";

// The account leaf: Poseidon(pubKeyX, pubKeyY, balance, nonce); an empty slot of the tree is the leaf 0.
// Mirrored by hashAccount in src/zk/account.ts.
template AccountLeaf() {
    signal input ax;
    signal input ay;
    signal input balance;
    signal input nonce;
    signal output leaf;
    component h = Poseidon(4);
    h.inputs[0] <== ax;
    h.inputs[1] <== ay;
    h.inputs[2] <== balance;
    h.inputs[3] <== nonce;
    leaf <== h.out;
}

// One account update under a switch. When `enabled` is 1 the old account must sit at `pathBits` under `rootIn`
// and `rootOut` is the root with the new account in its place; when 0 nothing is checked and rootOut = rootIn.
// `isEmpty` = 1 says the slot holds the empty leaf 0 (then balance and nonce must be 0 and the new leaf creates
// the account with key (ax, ay)). The new balance is range checked to BALANCE_BITS in every case (no overflow,
// no negative balance: a debit below zero wraps to a value near the field order).
// Constraints: 2 Merkle paths (2 * D * 241) + 2 Poseidon(4) (2 * 284) + BALANCE_BITS + 5.
template AccountUpdate(D, BALANCE_BITS) {
    signal input enabled;
    signal input rootIn;
    signal input pathBits[D];
    signal input siblings[D];
    signal input ax;
    signal input ay;
    signal input balance;
    signal input nonce;
    signal input isEmpty;
    signal input newBalance;
    signal input newNonce;
    signal output rootOut;

    isEmpty * (isEmpty - 1) === 0;
    isEmpty * balance === 0;
    isEmpty * nonce === 0;

    component newBalanceBits = Num2Bits(BALANCE_BITS);
    newBalanceBits.in <== newBalance;

    component oldLeaf = AccountLeaf();
    oldLeaf.ax <== ax;
    oldLeaf.ay <== ay;
    oldLeaf.balance <== balance;
    oldLeaf.nonce <== nonce;
    component newLeaf = AccountLeaf();
    newLeaf.ax <== ax;
    newLeaf.ay <== ay;
    newLeaf.balance <== newBalance;
    newLeaf.nonce <== newNonce;

    component oldRoot = MerkleRoot(D);
    oldRoot.leaf <== oldLeaf.leaf * (1 - isEmpty);
    component newRoot = MerkleRoot(D);
    newRoot.leaf <== newLeaf.leaf;
    for (var i = 0; i < D; i++) {
        oldRoot.pathBits[i] <== pathBits[i];
        oldRoot.siblings[i] <== siblings[i];
        newRoot.pathBits[i] <== pathBits[i];
        newRoot.siblings[i] <== siblings[i];
    }

    // INVARIANT: an enabled update starts from the current root, so every account it reads is the real one.
    enabled * (oldRoot.root - rootIn) === 0;
    rootOut <== rootIn + enabled * (newRoot.root - rootIn);
}
