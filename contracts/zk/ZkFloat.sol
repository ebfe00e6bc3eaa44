// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ZkFloat
/// @notice Decimal floats of the packed ops, mirrored by src/zk/float.ts and circuits/lib/float.circom:
///         code = [exponent<5>|mantissa<M>], value = mantissa * 10^exponent.
/// @dev Float40 (M = 35) for amounts, Float16 (M = 11) for fees.
library ZkFloat {
    uint256 internal constant FLOAT40_MANTISSA_BITS = 35;
    uint256 internal constant FLOAT16_MANTISSA_BITS = 11;

    /// @notice The value of a code with `mantissaBits` bits of mantissa (code must fit mantissaBits + 5 bits).
    function decode(uint256 code, uint256 mantissaBits) internal pure returns (uint256) {
        uint256 mantissa = code & ((1 << mantissaBits) - 1);
        uint256 exponent = code >> mantissaBits;
        return mantissa * 10 ** exponent;
    }

    /// @notice True when `value` is exactly mantissa * 10^exponent with mantissa < 2^mantissaBits, exponent < 32.
    function isRepresentable(uint256 value, uint256 mantissaBits) internal pure returns (bool) {
        uint256 limit = 1 << mantissaBits;
        uint256 exponent = 0;
        while (value >= limit) {
            if (value % 10 != 0 || exponent == 31) return false;
            value /= 10;
            ++exponent;
        }
        return true;
    }
}
