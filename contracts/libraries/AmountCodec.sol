// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AmountCodec
/// @notice Decimal-float encodings of wei amounts used inside packed rollup transactions.
/// @dev amount<5> = [exponent<5 bits>|mantissa<35 bits>], value = mantissa * 10^exponent (up to 10 significant
///      digits, any exponent 0..31). fee<2> = [exponent<4 bits>|mantissa<12 bits>], value = mantissa * 10^exponent
///      (up to 4 significant digits, exponent 0..15, so fees up to 4.095 ETH). One value may have several encodings
///      (1 * 10^3 and 10 * 10^2); signatures cover the decoded value, never the bytes, so that is harmless.
///      Mirrored in src/encoding/amount.ts (encodeAmount / decodeAmount / encodeFee / decodeFee).
library AmountCodec {
    uint256 internal constant AMOUNT_MANTISSA_BITS = 35;
    uint256 internal constant FEE_MANTISSA_BITS = 12;

    /// @notice The wei value of a packed 5-byte amount.
    function decodeAmount(uint40 packed) internal pure returns (uint256) {
        uint256 exponent = uint256(packed) >> AMOUNT_MANTISSA_BITS;
        uint256 mantissa = uint256(packed) & ((1 << AMOUNT_MANTISSA_BITS) - 1);
        return mantissa * 10 ** exponent;
    }

    /// @notice The wei value of a packed 2-byte fee.
    function decodeFee(uint16 packed) internal pure returns (uint256) {
        uint256 exponent = uint256(packed) >> FEE_MANTISSA_BITS;
        uint256 mantissa = uint256(packed) & ((1 << FEE_MANTISSA_BITS) - 1);
        return mantissa * 10 ** exponent;
    }
}
