// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The index has bits above the proof's depth, so it does not name a leaf of the tree.
/// @dev Declared once at file level and shared with PoseidonMerkle, so a contract using both has one ABI entry.
error MerkleIndexOutOfRange(uint256 index, uint256 depth);

/// @title KeccakMerkle
/// @notice Recomputes and checks roots of the keccak sparse Merkle tree that src/merkle/sparse-merkle-tree.ts builds.
/// @dev Node hash: keccak256(abi.encodePacked(left, right)), 64 bytes [left<32>|right<32>].
///      Siblings run bottom-up (siblings[0] is the leaf's sibling). At level i, bit i of `index` = 1 means the
///      current node is the RIGHT child. An update proof is the membership proof taken before the update: the same
///      siblings with the new leaf give the new root.
library KeccakMerkle {
    /// @notice The root of the tree in which `leaf` sits at `index` with the given siblings.
    /// @dev Reverts with MerkleIndexOutOfRange if index >= 2^siblings.length.
    function computeRoot(bytes32 leaf, uint256 index, bytes32[] memory siblings) internal pure returns (bytes32 root) {
        uint256 depth = siblings.length;
        // INVARIANT: an index names exactly one leaf. Without this check index and index + 2^depth would share
        // every proof, and a rollup keying accounts by index could credit one account's balance to another.
        if (depth < 256 && index >> depth != 0) revert MerkleIndexOutOfRange(index, depth);
        root = leaf;
        for (uint256 level = 0; level < depth; ++level) {
            bytes32 sibling = siblings[level];
            if ((index >> level) & 1 == 1) {
                root = keccak256(abi.encodePacked(sibling, root));
            } else {
                root = keccak256(abi.encodePacked(root, sibling));
            }
        }
    }

    /// @notice True when `leaf` sits at `index` under `root`; false for any wrong leaf, index or sibling.
    /// @dev Never reverts: an out-of-range index is simply not a member.
    function verify(bytes32 root, bytes32 leaf, uint256 index, bytes32[] memory siblings) internal pure returns (bool) {
        uint256 depth = siblings.length;
        if (depth < 256 && index >> depth != 0) return false;
        return computeRoot(leaf, index, siblings) == root;
    }
}
