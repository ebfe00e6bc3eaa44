pragma circom 2.0.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/sha256/sha256.circom";
include "account.circom";
include "operation.circom";

// A batch of N operations over the depth-D account tree, proven against two public inputs:
//   commitment = sha256(oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14*N>) mod 2^253
// (the top 3 bits dropped so it is a field element). src/zk/commitment.ts and ZkRollup.sol compute the same.
//   domain = chainId * 2^160 + rollup address: the deployment, which every signed message also carries, so a
// signature for one deployment is worth nothing on another. A public input of its own costs the circuit nothing
// and L1 one more scalar multiplication in the verifier, where 32 more bytes of sha256 input would add a
// compression block (29,992 constraints) at N = 2.
// Fees of the batch are summed and credited once, after the last slot, to the operator's account at index 0.
//
// NOTE: what this circuit leaves to the contract, each enforced in contracts/zk/ZkRollup.sol (_commitment and
// submitBatch), because the circuit cannot see L1:
//   1. oldRoot is the rollup's current state root (the commitment is built from the stored root, not from input).
//   2. chainBefore / chainAfter are the contract's Poseidon deposit chain after depositsConsumed() and after
//      depositsConsumed() + (number of deposit slots): the deposits consumed are exactly the next ones queued,
//      in order, and each went to the account index the contract assigned to its (key, sender).
//   3. newRoot, chainBefore and chainAfter are below the field order (the contract rejects newRoot >= r; the
//      circuit's strict bit decompositions then match its sha256 input bit for bit).
//   4. The ops bytes are exactly N slots of 14 bytes (calldata length checked), read with the same layout.
//   5. Every forced exit slot (types 4, 5) answers the oldest open L1 forced-exit request for that account and
//      amount, and only such requests produce them; withdrawal slots (3, 4) are paid to the account's L1 owner.
//   6. Index 0 is the operator's fee account, created at deployment.
//   7. domain is this deployment's (block.chainid << 160 | address(this)), built by L1, never taken from input.
template RollupBatch(N, D) {
    var BALANCE_BITS = 128;

    signal input commitment;
    signal input domain;

    signal input oldRoot;
    signal input newRoot;
    signal input chainBefore;
    signal input chainAfter;

    signal input opType[N];
    signal input fromIndex[N];
    signal input toIndex[N];
    signal input amountCode[N];
    signal input feeCode[N];
    signal input debitAx[N];
    signal input debitAy[N];
    signal input debitBalance[N];
    signal input debitNonce[N];
    signal input debitSiblings[N][D];
    signal input creditAx[N];
    signal input creditAy[N];
    signal input creditBalance[N];
    signal input creditNonce[N];
    signal input creditIsEmpty[N];
    signal input creditSiblings[N][D];
    signal input sigR8x[N];
    signal input sigR8y[N];
    signal input sigS[N];
    signal input depositAmount[N];

    signal input feeAx;
    signal input feeAy;
    signal input feeBalance;
    signal input feeNonce;
    signal input feeSiblings[D];

    component ops[N];
    signal root[N + 1];
    signal chain[N + 1];
    root[0] <== oldRoot;
    chain[0] <== chainBefore;
    var feeTotal = 0;
    for (var i = 0; i < N; i++) {
        ops[i] = RollupOperation(D, BALANCE_BITS);
        ops[i].opType <== opType[i];
        ops[i].fromIndex <== fromIndex[i];
        ops[i].toIndex <== toIndex[i];
        ops[i].amountCode <== amountCode[i];
        ops[i].feeCode <== feeCode[i];
        ops[i].rootIn <== root[i];
        ops[i].chainIn <== chain[i];
        ops[i].domain <== domain;
        ops[i].debitAx <== debitAx[i];
        ops[i].debitAy <== debitAy[i];
        ops[i].debitBalance <== debitBalance[i];
        ops[i].debitNonce <== debitNonce[i];
        ops[i].creditAx <== creditAx[i];
        ops[i].creditAy <== creditAy[i];
        ops[i].creditBalance <== creditBalance[i];
        ops[i].creditNonce <== creditNonce[i];
        ops[i].creditIsEmpty <== creditIsEmpty[i];
        for (var j = 0; j < D; j++) {
            ops[i].debitSiblings[j] <== debitSiblings[i][j];
            ops[i].creditSiblings[j] <== creditSiblings[i][j];
        }
        ops[i].sigR8x <== sigR8x[i];
        ops[i].sigR8y <== sigR8y[i];
        ops[i].sigS <== sigS[i];
        ops[i].depositAmount <== depositAmount[i];
        root[i + 1] <== ops[i].rootOut;
        chain[i + 1] <== ops[i].chainOut;
        feeTotal += ops[i].fee;
    }

    // Fees to the operator's account (index 0: every path bit is 0).
    component feeCredit = AccountUpdate(D, BALANCE_BITS);
    feeCredit.enabled <== 1;
    feeCredit.rootIn <== root[N];
    for (var j = 0; j < D; j++) {
        feeCredit.pathBits[j] <== 0;
        feeCredit.siblings[j] <== feeSiblings[j];
    }
    feeCredit.ax <== feeAx;
    feeCredit.ay <== feeAy;
    feeCredit.balance <== feeBalance;
    feeCredit.nonce <== feeNonce;
    feeCredit.isEmpty <== 0;
    feeCredit.newBalance <== feeBalance + feeTotal;
    feeCredit.newNonce <== feeNonce;

    newRoot === feeCredit.rootOut;
    chainAfter === chain[N];

    // The commitment: sha256 over the header values (strict bits: one encoding per field element) and the ops.
    var HEADER_BITS = 4 * 256;
    component sha = Sha256(HEADER_BITS + 112 * N);
    component headerBits[4];
    signal header[4];
    header[0] <== oldRoot;
    header[1] <== newRoot;
    header[2] <== chainBefore;
    header[3] <== chainAfter;
    for (var h = 0; h < 4; h++) {
        headerBits[h] = Num2Bits_strict();
        headerBits[h].in <== header[h];
        sha.in[h * 256] <== 0;
        sha.in[h * 256 + 1] <== 0;
        for (var k = 0; k < 254; k++) sha.in[h * 256 + 255 - k] <== headerBits[h].out[k];
    }
    for (var i = 0; i < N; i++) {
        for (var k = 0; k < 112; k++) sha.in[HEADER_BITS + 112 * i + k] <== ops[i].bits[k];
    }
    var low253 = 0;
    for (var k = 0; k < 253; k++) low253 += sha.out[255 - k] * (1 << k);
    commitment === low253;
}
