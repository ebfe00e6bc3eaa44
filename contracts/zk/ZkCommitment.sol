// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ZkCommitment
/// @notice The one public input of a zk batch, mirrored by src/zk/commitment.ts and circuits/lib/batch.circom.
/// @dev sha256 over [oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14*N>], low 253 bits kept, so the
///      value is always below the scalar field order r and the verifier never sees an unreduced input.
library ZkCommitment {
    /// @notice 2^253 - 1: the bits of the digest the commitment keeps.
    uint256 internal constant MASK = (1 << 253) - 1;

    /// @notice The commitment of a batch.
    function compute(
        uint256 oldRoot,
        uint256 newRoot,
        uint256 chainBefore,
        uint256 chainAfter,
        bytes calldata ops
    ) internal pure returns (uint256) {
        // gas: the sha256 precompile costs 60 + 12 per word, about 400 gas for a 16-slot batch.
        return uint256(sha256(abi.encodePacked(oldRoot, newRoot, chainBefore, chainAfter, ops))) & MASK;
    }
}
