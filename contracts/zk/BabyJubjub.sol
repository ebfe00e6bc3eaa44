// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BabyJubjub
/// @notice Checks that an L2 public key is a point of Baby Jubjub (a·x² + y² = 1 + d·x²·y² over BN254's scalar
///         field) whose order is not small (8·P is not the identity).
/// @dev Why this is enough: circomlib's EdDSA template multiplies the key by 8 and converts it to Montgomery form
///      in every slot, signed or not (its curve arithmetic has no `enabled` switch). For a point off the curve the
///      doubling formulas can reach y = 1, and for a small-order point 8·P is the identity (0, 1): both make
///      Edwards2Montgomery (out·(1 − y) = 1 + y) unsatisfiable, so no slot of that account could ever be proven.
///      For an on-curve point with 8·P ≠ identity, 8·P lies in the prime-order subgroup and is neither (0, 1) nor
///      (0, −1), so every step is defined. A key with a torsion part can still not sign (its owner's loss, not
///      the rollup's); its forced exits need no signature. The full subgroup check (l·P = identity) would cost a
///      253-bit scalar multiplication on every new account for no extra liveness.
///      The law is complete on Baby Jubjub (a is a square, d is not), so the projective doubling below never
///      divides by zero for points on the curve.
library BabyJubjub {
    /// @dev BN254's scalar field order r: Baby Jubjub's base field.
    uint256 internal constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant A = 168700;
    uint256 internal constant D = 168696;

    /// @notice Whether (x, y) is on the curve and 8·(x, y) is not the identity. Inputs must be below Q.
    function isValidKey(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 xx = mulmod(x, x, Q);
        uint256 yy = mulmod(y, y, Q);
        uint256 left = addmod(mulmod(A, xx, Q), yy, Q);
        uint256 right = addmod(1, mulmod(D, mulmod(xx, yy, Q), Q), Q);
        if (left != right) return false;
        // 8·P in projective coordinates (X : Y : Z), starting from (x : y : 1).
        (uint256 px, uint256 py, uint256 pz) = (x, y, 1);
        for (uint256 i = 0; i < 3; ++i) (px, py, pz) = _double(px, py, pz);
        // The identity is (0 : Z : Z); in the prime-order subgroup only it has X = 0.
        return px != 0;
    }

    /// @dev Projective doubling on a twisted Edwards curve (Bernstein et al., "dbl-2008-bbjlp").
    function _double(uint256 x, uint256 y, uint256 z) private pure returns (uint256, uint256, uint256) {
        uint256 b = mulmod(addmod(x, y, Q), addmod(x, y, Q), Q);
        uint256 c = mulmod(x, x, Q);
        uint256 d = mulmod(y, y, Q);
        uint256 e = mulmod(A, c, Q);
        uint256 f = addmod(e, d, Q);
        uint256 h = mulmod(z, z, Q);
        uint256 j = addmod(f, Q - addmod(h, h, Q), Q);
        uint256 x3 = mulmod(addmod(b, Q - addmod(c, d, Q), Q), j, Q);
        uint256 y3 = mulmod(f, addmod(e, Q - d, Q), Q);
        uint256 z3 = mulmod(f, j, Q);
        return (x3, y3, z3);
    }
}
