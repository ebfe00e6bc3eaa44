// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoseidon2} from "../interfaces/IPoseidon.sol";
import {MerkleIndexOutOfRange} from "./KeccakMerkle.sol";

/// @title PoseidonMerkle
/// @notice Recomputes and checks roots of the Poseidon sparse Merkle tree that the zk rollup's circuits and
///         src/merkle/sparse-merkle-tree.ts build.
/// @dev Node hash: poseidon([left, right]) in BN254 Fr, computed by a circomlibjs-generated contract (one external
///      call per level). Same indexing as KeccakMerkle: siblings bottom-up, bit i of `index` = 1 means the node on
///      level i is the RIGHT child.
library PoseidonMerkle {
    /// @notice The order of BN254's scalar field Fr; every node value is below it.
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice The leaf is not a field element (>= Fr).
    error LeafNotInField(uint256 leaf);
    /// @notice A sibling is not a field element (>= Fr).
    error SiblingNotInField(uint256 level, uint256 sibling);

    /// @notice The root of the tree in which `leaf` sits at `index` with the given siblings.
    /// @dev Reverts on an index >= 2^siblings.length or a value >= Fr. `hasher` must be a deployed Poseidon(2).
    function computeRoot(
        IPoseidon2 hasher,
        uint256 leaf,
        uint256 index,
        uint256[] memory siblings
    ) internal pure returns (uint256 root) {
        uint256 depth = siblings.length;
        // INVARIANT: an index names exactly one leaf (index and index + 2^depth must not share a proof).
        if (depth < 256 && index >> depth != 0) revert MerkleIndexOutOfRange(index, depth);
        // INVARIANT: values are canonical field elements. The hasher reduces inputs modulo Fr, so without these
        // checks x and x + Fr would both prove membership and one leaf would have two encodings.
        if (leaf >= SNARK_SCALAR_FIELD) revert LeafNotInField(leaf);
        root = leaf;
        for (uint256 level = 0; level < depth; ++level) {
            uint256 sibling = siblings[level];
            if (sibling >= SNARK_SCALAR_FIELD) revert SiblingNotInField(level, sibling);
            if ((index >> level) & 1 == 1) {
                root = hasher.poseidon([sibling, root]);
            } else {
                root = hasher.poseidon([root, sibling]);
            }
        }
    }

    /// @notice True when `leaf` sits at `index` under `root`; false for any wrong leaf, index or sibling.
    /// @dev Returns false (no revert) for an out-of-range index or values >= Fr: those are simply not members.
    function verify(
        IPoseidon2 hasher,
        uint256 root,
        uint256 leaf,
        uint256 index,
        uint256[] memory siblings
    ) internal pure returns (bool) {
        uint256 depth = siblings.length;
        if (depth < 256 && index >> depth != 0) return false;
        if (leaf >= SNARK_SCALAR_FIELD) return false;
        for (uint256 level = 0; level < depth; ++level) {
            if (siblings[level] >= SNARK_SCALAR_FIELD) return false;
        }
        return computeRoot(hasher, leaf, index, siblings) == root;
    }
}
