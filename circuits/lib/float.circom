pragma circom 2.0.0;

include "circomlib/circuits/bitify.circom";

// A decimal float as the packed operations carry amounts and fees:
//   code = [exponent<5>|mantissa<MANT>] (exponent in the top 5 bits), value = mantissa * 10^exponent.
// Float40 (MANT = 35) carries amounts, Float16 (MANT = 11) carries fees. Mirrored by src/zk/float.ts and
// contracts/zk/ZkFloat.sol.
// Constraints: MANT + 5 (bit decomposition) + 5 (10^exponent as a product over the exponent bits) + 1.
template FloatDecode(MANT) {
    signal input code;
    signal output value;
    // the code's bits, least significant first
    signal output bits[MANT + 5];

    component codeBits = Num2Bits(MANT + 5);
    codeBits.in <== code;
    for (var i = 0; i < MANT + 5; i++) bits[i] <== codeBits.out[i];

    var mantissa = 0;
    for (var i = 0; i < MANT; i++) {
        mantissa += codeBits.out[i] * (1 << i);
    }

    // 10^e = prod over exponent bit k of (1 + bit_k * (10^(2^k) - 1)), one constraint per bit.
    signal pow[6];
    pow[0] <== 1;
    var p = 10;
    for (var k = 0; k < 5; k++) {
        pow[k + 1] <== pow[k] * (1 + codeBits.out[MANT + k] * (p - 1));
        p = p * p;
    }
    value <== mantissa * pow[5];
}
