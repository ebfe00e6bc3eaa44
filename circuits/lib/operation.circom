pragma circom 2.0.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/poseidon.circom";
include "account.circom";
include "float.circom";

// One slot of a batch. Its public data is 14 bytes, the layout of src/zk/ops.ts and contracts/zk/ZkOps.sol:
//   [type<1>|from<3>|to<3>|amount<5>|fee<2>]   amount: Float40, fee: Float16 (see float.circom)
// Types and the fields each must leave zero (so every slot has exactly one encoding):
//   0 noop            from = to = amount = fee = 0            changes nothing
//   1 deposit         from = amount = fee = 0                 credits `to` with the next queued L1 deposit
//   2 transfer        -                                       `from` pays amount + fee, `to` gets amount
//   3 withdraw        to = 0                                  `from` pays amount + fee; L1 pays amount out
//   4 forced exit     to = fee = 0                            `from` pays amount (an L1 request, no signature)
//   5 forced refused  to = fee = 0                            `from` holds less than amount: nothing moves
// Each slot updates at most two accounts: a debit of `from` then a credit of `to` on the root left by the debit.
template RollupOperation(D, BALANCE_BITS) {
    // public data
    signal input opType;
    signal input fromIndex;
    signal input toIndex;
    signal input amountCode;
    signal input feeCode;
    // state threaded through the batch
    signal input rootIn;
    signal input chainIn;
    // the deployment (chain id and rollup address), part of every signed message
    signal input domain;
    // the debited account (`from`) as it is before the slot
    signal input debitAx;
    signal input debitAy;
    signal input debitBalance;
    signal input debitNonce;
    signal input debitSiblings[D];
    // the credited account (`to`) as it is after the debit
    signal input creditAx;
    signal input creditAy;
    signal input creditBalance;
    signal input creditNonce;
    signal input creditIsEmpty;
    signal input creditSiblings[D];
    // EdDSA-Poseidon signature of the sender over Poseidon(packed op, nonce, domain)
    signal input sigR8x;
    signal input sigR8y;
    signal input sigS;
    // the wei amount of the L1 deposit a deposit slot consumes
    signal input depositAmount;

    signal output rootOut;
    signal output chainOut;
    signal output fee;
    signal output bits[112];

    // --- type: 3 low bits, the rest zero; 6 and 7 are not types ---
    component typeBits = Num2Bits(8);
    typeBits.in <== opType;
    for (var i = 3; i < 8; i++) typeBits.out[i] === 0;
    signal b0 <== typeBits.out[0];
    signal b1 <== typeBits.out[1];
    signal b2 <== typeBits.out[2];
    b1 * b2 === 0;
    signal isDeposit <== (1 - b1 - b2) * b0;
    signal isNoop <== 1 - b1 - b2 - isDeposit;
    signal isWithdraw <== b1 * b0;
    signal isTransfer <== b1 - isWithdraw;
    signal isRefused <== b2 * b0;
    signal isForced <== b2 - isRefused;
    signal isSigned <== isTransfer + isWithdraw;

    // --- canonical public data: fields a type does not use are zero ---
    (isNoop + isDeposit) * fromIndex === 0;
    (isNoop + isWithdraw + isForced + isRefused) * toIndex === 0;
    (isNoop + isDeposit) * amountCode === 0;
    (1 - isSigned) * feeCode === 0;

    // --- fields as bits (public data) and numbers ---
    component fromBits = Num2Bits(24);
    fromBits.in <== fromIndex;
    component toBits = Num2Bits(24);
    toBits.in <== toIndex;
    // INVARIANT: an index names one leaf of the depth-D tree: bits above D are zero.
    var high = 0;
    for (var i = D; i < 24; i++) high += fromBits.out[i] + toBits.out[i];
    high === 0;
    component amount = FloatDecode(35);
    amount.code <== amountCode;
    component feeValue = FloatDecode(11);
    feeValue.code <== feeCode;
    fee <== isSigned * feeValue.value;

    // Big-endian bits for the sha256 commitment: each field MSB first, fields in layout order.
    for (var i = 0; i < 8; i++) bits[7 - i] <== typeBits.out[i];
    for (var i = 0; i < 24; i++) bits[8 + 23 - i] <== fromBits.out[i];
    for (var i = 0; i < 24; i++) bits[32 + 23 - i] <== toBits.out[i];
    for (var i = 0; i < 40; i++) bits[56 + 39 - i] <== amount.bits[i];
    for (var i = 0; i < 16; i++) bits[96 + 15 - i] <== feeValue.bits[i];
    signal packed <== opType * (1 << 104) + fromIndex * (1 << 80) + toIndex * (1 << 56) + amountCode * (1 << 16) + feeCode;

    // --- debit of `from` ---
    signal debitEnabled <== isSigned + isForced + isRefused;
    signal signedDebit <== isSigned * (amount.value + feeValue.value);
    signal forcedDebit <== isForced * amount.value;
    component debit = AccountUpdate(D, BALANCE_BITS);
    debit.enabled <== debitEnabled;
    debit.rootIn <== rootIn;
    for (var i = 0; i < D; i++) {
        debit.pathBits[i] <== fromBits.out[i];
        debit.siblings[i] <== debitSiblings[i];
    }
    debit.ax <== debitAx;
    debit.ay <== debitAy;
    debit.balance <== debitBalance;
    debit.nonce <== debitNonce;
    // INVARIANT: nobody spends from an empty slot (it has no key, and a debit there would create one).
    debit.isEmpty <== 0;
    debit.newBalance <== debitBalance - signedDebit - forcedDebit;
    debit.newNonce <== debitNonce + isSigned;

    // A refused forced exit proves the balance is short: balance < amount (both below 2^139).
    component short = LessThan(139);
    short.in[0] <== debitBalance;
    short.in[1] <== amount.value;
    isRefused * (1 - short.out) === 0;

    // --- the sender's signature over (packed op, nonce, deployment domain) ---
    component message = Poseidon(3);
    message.inputs[0] <== packed;
    message.inputs[1] <== debitNonce;
    message.inputs[2] <== domain;
    // circomlib's EdDSA template runs its curve arithmetic (8·A, Edwards2Montgomery) even when disabled, so an
    // account key off the curve or of small order would make every slot of that account unsatisfiable. Unsigned
    // slots therefore check against a fixed key of large order, Base8 (L1 also refuses such keys: BabyJubjub.sol).
    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    signal sigAx <== debitAx + (1 - isSigned) * (BASE8[0] - debitAx);
    signal sigAy <== debitAy + (1 - isSigned) * (BASE8[1] - debitAy);
    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== isSigned;
    signature.Ax <== sigAx;
    signature.Ay <== sigAy;
    signature.S <== sigS;
    signature.R8x <== sigR8x;
    signature.R8y <== sigR8y;
    signature.M <== message.out;

    // --- credit of `to` ---
    signal creditEnabled <== isTransfer + isDeposit;
    // INVARIANT: a transfer only pays an existing account; only a deposit may create one.
    isTransfer * creditIsEmpty === 0;
    component depositBits = Num2Bits(BALANCE_BITS);
    depositBits.in <== depositAmount;
    signal depositCredit <== isDeposit * depositAmount;
    signal transferCredit <== isTransfer * amount.value;
    component credit = AccountUpdate(D, BALANCE_BITS);
    credit.enabled <== creditEnabled;
    credit.rootIn <== debit.rootOut;
    for (var i = 0; i < D; i++) {
        credit.pathBits[i] <== toBits.out[i];
        credit.siblings[i] <== creditSiblings[i];
    }
    credit.ax <== creditAx;
    credit.ay <== creditAy;
    credit.balance <== creditBalance;
    credit.nonce <== creditNonce;
    credit.isEmpty <== creditIsEmpty;
    credit.newBalance <== creditBalance + depositCredit + transferCredit;
    credit.newNonce <== creditNonce;
    rootOut <== credit.rootOut;

    // --- the deposit chain: Poseidon(chain, ax, ay, amount * 2^32 + index), as L1 builds it at deposit time ---
    component link = Poseidon(4);
    link.inputs[0] <== chainIn;
    link.inputs[1] <== creditAx;
    link.inputs[2] <== creditAy;
    link.inputs[3] <== depositAmount * (1 << 32) + toIndex;
    chainOut <== chainIn + isDeposit * (link.out - chainIn);
}
