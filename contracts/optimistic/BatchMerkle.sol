// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BatchMerkle
/// @notice Roots of the small fixed-depth keccak trees a batch commits to: its chunk tree and each chunk's exit tree.
/// @dev Same node hash and bit order as KeccakMerkle (keccak256(left<32>|right<32>), empty leaf 0), so membership
///      proofs are checked with KeccakMerkle.verify. Mirrored in src/optimistic/batch-merkle.ts.
library BatchMerkle {
    /// @notice The root of a tree of `depth` levels whose first leaves are `leaves` and the rest empty.
    /// @dev Overwrites `leaves` (it is used as scratch space). Cost: one hash per node on a non-empty path.
    function rootOf(bytes32[] memory leaves, uint256 depth) internal pure returns (bytes32) {
        uint256 count = leaves.length;
        bytes32 zero = bytes32(0);
        for (uint256 level = 0; level < depth; ++level) {
            uint256 half = (count + 1) / 2;
            for (uint256 i = 0; i < half; ++i) {
                bytes32 right = 2 * i + 1 < count ? leaves[2 * i + 1] : zero;
                leaves[i] = keccak256(abi.encodePacked(leaves[2 * i], right));
            }
            count = half;
            zero = keccak256(abi.encodePacked(zero, zero));
        }
        return count == 0 ? zero : leaves[0];
    }
}
