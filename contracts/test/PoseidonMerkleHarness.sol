// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoseidon2} from "../interfaces/IPoseidon.sol";
import {PoseidonMerkle} from "../libraries/PoseidonMerkle.sol";

/// @title PoseidonMerkleHarness
/// @notice Exposes PoseidonMerkle to the differential tests and the Merkle benchmark.
contract PoseidonMerkleHarness {
    /// @notice The deployed Poseidon(2) contract is not a contract.
    error HasherNotDeployed(address hasher);

    /// @notice The Poseidon(2) contract every node hash is computed by.
    IPoseidon2 public immutable HASHER;

    /// @param hasher a Poseidon(2) contract deployed by scripts/deploy-poseidon.ts
    constructor(IPoseidon2 hasher) {
        if (address(hasher).code.length == 0) revert HasherNotDeployed(address(hasher));
        HASHER = hasher;
    }

    /// @notice PoseidonMerkle.computeRoot.
    function computeRoot(uint256 leaf, uint256 index, uint256[] calldata siblings) external view returns (uint256) {
        return PoseidonMerkle.computeRoot(HASHER, leaf, index, siblings);
    }

    /// @notice PoseidonMerkle.verify.
    function verify(
        uint256 root,
        uint256 leaf,
        uint256 index,
        uint256[] calldata siblings
    ) external view returns (bool) {
        return PoseidonMerkle.verify(HASHER, root, leaf, index, siblings);
    }

    /// @notice PoseidonMerkle.verify plus the gas the check itself used (calldata and call overhead excluded).
    /// @dev For scripts/bench-merkle.ts: measured with gasleft() around the library call.
    function verifyGas(
        uint256 root,
        uint256 leaf,
        uint256 index,
        uint256[] calldata siblings
    ) external view returns (bool ok, uint256 gasUsed) {
        uint256 before = gasleft();
        ok = PoseidonMerkle.verify(HASHER, root, leaf, index, siblings);
        gasUsed = before - gasleft();
    }
}
