pragma circom 2.1.0;

// The circomlib templates RollupBatch uses that assign a signal with `<--` (a hint the prover computes
// outside the constraints), each instantiated once, small enough to compile in seconds. The soundness
// tests (test/zk/hints.test.ts) compute an honest witness, change one hinted signal and check that a
// constraint of the compiled R1CS breaks. Where RollupBatch uses them:
//   Num2Bits       range checks (balances, amounts, op type, indices), LessThan, EdDSA's S < l check
//   IsZero         EdDSAPoseidonVerifier: its 8·A check and ForceEqualIfEnabled (through IsEqual)
//   BabyAdd        BabyDbl in EdDSAPoseidonVerifier (8·R, 8·A) and the final R + h·A addition
//   Edwards2Montgomery, Montgomery2Edwards, MontgomeryAdd, MontgomeryDouble
//                  EscalarMulAny (h·A) and EscalarMulFix (S·Base8) inside EdDSAPoseidonVerifier
//   BinSum         the 32-bit additions of Sha256 (the batch commitment)

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/montgomery.circom";
include "circomlib/circuits/binsum.circom";

template CircomlibHints() {
    signal input x;
    signal input zero;
    signal input p[2];
    signal input q[2];
    signal input a[4];
    signal input b[4];
    signal output out;

    component bits = Num2Bits(8);
    bits.in <== x;
    component nonZero = IsZero();
    nonZero.in <== x;
    component isZero = IsZero();
    isZero.in <== zero;

    component add = BabyAdd();
    add.x1 <== p[0];
    add.y1 <== p[1];
    add.x2 <== q[0];
    add.y2 <== q[1];

    component toMontP = Edwards2Montgomery();
    toMontP.in <== p;
    component toMontQ = Edwards2Montgomery();
    toMontQ.in <== q;
    component montAdd = MontgomeryAdd();
    montAdd.in1 <== toMontP.out;
    montAdd.in2 <== toMontQ.out;
    component montDouble = MontgomeryDouble();
    montDouble.in <== toMontP.out;
    component toEdwards = Montgomery2Edwards();
    toEdwards.in <== montAdd.out;

    component sum = BinSum(4, 2);
    sum.in[0] <== a;
    sum.in[1] <== b;

    // Every result feeds the output, so --O2 keeps the templates' constraints.
    signal mix[8];
    mix[0] <== bits.out[7] * nonZero.out;
    mix[1] <== mix[0] + isZero.out * add.xout;
    mix[2] <== mix[1] + add.yout * toEdwards.out[0];
    mix[3] <== mix[2] + toEdwards.out[1] * montDouble.out[0];
    mix[4] <== mix[3] + montDouble.out[1] * sum.out[0];
    mix[5] <== mix[4] + sum.out[1] * sum.out[2];
    mix[6] <== mix[5] + sum.out[3] * sum.out[4];
    mix[7] <== mix[6] + bits.out[0] * bits.out[1];
    out <== mix[7];
}

component main = CircomlibHints();
