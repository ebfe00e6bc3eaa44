// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {KeccakMerkle} from "../libraries/KeccakMerkle.sol";

/// @title KeccakMerkleHarness
/// @notice Exposes KeccakMerkle to the differential tests and the Merkle benchmark.
contract KeccakMerkleHarness {
    /// @notice KeccakMerkle.computeRoot.
    function computeRoot(bytes32 leaf, uint256 index, bytes32[] calldata siblings) external pure returns (bytes32) {
        return KeccakMerkle.computeRoot(leaf, index, siblings);
    }

    /// @notice KeccakMerkle.verify.
    function verify(
        bytes32 root,
        bytes32 leaf,
        uint256 index,
        bytes32[] calldata siblings
    ) external pure returns (bool) {
        return KeccakMerkle.verify(root, leaf, index, siblings);
    }

    /// @notice KeccakMerkle.verify plus the gas the check itself used (calldata and call overhead excluded).
    /// @dev For scripts/bench-merkle.ts: measured with gasleft() around the library call.
    function verifyGas(
        bytes32 root,
        bytes32 leaf,
        uint256 index,
        bytes32[] calldata siblings
    ) external view returns (bool ok, uint256 gasUsed) {
        uint256 before = gasleft();
        ok = KeccakMerkle.verify(root, leaf, index, siblings);
        gasUsed = before - gasleft();
    }
}
