pragma circom 2.1.0;

// A tiny circuit for the development-ceremony tests: small enough for a
// powers-of-tau file of power 8, with public inputs, a public output and
// private signals so every zkey section (IC, A, B1, B2, C, H) has content.
//
// Its keys come from the INSECURE development ceremony (public secrets).
//
// Proves knowledge of a 32-bit `amount` and a `secret` such that
// tag = secret * secret * amount + salt (salt and tag public).
//
// Constraints: 32 bit checks (Num2Bits; --O2 folds its linear sum into
// `amount`) + 2 products = 34. With 2 public signals (tag, salt) snarkjs
// sizes the domain as 2^(floor(log2(34 + 2)) + 1) = 64.

include "circomlib/circuits/bitify.circom";

template CeremonySmall() {
    signal input salt;
    signal input secret;
    signal input amount;
    signal output tag;

    component bits = Num2Bits(32);
    bits.in <== amount;

    signal square <== secret * secret;
    tag <== square * amount + salt;
}

component main {public [salt]} = CeremonySmall();
