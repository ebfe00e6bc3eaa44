// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";

/**
 * @title LockTree
 * @notice The Merkle tree of pending hash-time-locked transfers whose root a channel state signs.
 * @dev Mirrored by src/channels/locks.ts. Leaves are hashed locks; a parent is keccak256 of its two children in
 *      ascending order (so a proof needs no left/right bits); a node without a sibling moves up unchanged.
 *      The root of no locks is bytes32(0); the root of one lock is its leaf.
 */
library LockTree {
    /// @dev [sender<1>|amount<12>|expiry<5>|hashlock<32>] = 50 bytes, hashed with keccak256.
    function hashLock(IPaymentChannels.Lock calldata lock) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(lock.sender, lock.amount, lock.expiry, lock.hashlock));
    }

    function hashPair(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return left < right ? keccak256(abi.encodePacked(left, right)) : keccak256(abi.encodePacked(right, left));
    }

    /// @notice The root that `leaf` and its `proof` (siblings from the bottom up) lead to.
    function rootFrom(bytes32 leaf, bytes32[] calldata proof) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < proof.length; i++) {
            node = hashPair(node, proof[i]);
        }
    }

    /**
     * @notice The root of the same tree once the leaf that `proof` belongs to is removed: its first sibling takes
     *         its parent's place. bytes32(0) when it was the last leaf.
     * @dev A leaf hashes 50 bytes and an inner node 64, so no leaf can pass for an inner node or the reverse.
     */
    function rootWithout(bytes32[] calldata proof) internal pure returns (bytes32) {
        if (proof.length == 0) return bytes32(0);
        return rootFrom(proof[0], proof[1:]);
    }

    /// @notice The root of `leaves` (used by tests through the harness; the channel contract only verifies proofs).
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        if (leaves.length == 0) return bytes32(0);
        uint256 n = leaves.length;
        while (n > 1) {
            uint256 next = (n + 1) / 2;
            for (uint256 i = 0; i < n / 2; i++) {
                leaves[i] = hashPair(leaves[2 * i], leaves[2 * i + 1]);
            }
            if (n % 2 == 1) leaves[next - 1] = leaves[n - 1];
            n = next;
        }
        return leaves[0];
    }
}
