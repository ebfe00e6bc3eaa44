// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// The ABI of the Poseidon contracts circomlibjs generates (poseidonContract.createCode(n)), deployed by
// scripts/deploy-poseidon.ts. Each hashes n field elements of BN254 Fr with the same constants as circomlib's
// Poseidon(n) template, so L1 and the circuits agree. Inputs are reduced modulo Fr by the contract: callers that
// need a one-to-one hash must check inputs < Fr themselves (PoseidonMerkle does).

/// @notice Poseidon of two field elements: the node hash of the zk rollup's state tree.
interface IPoseidon2 {
    /// @notice poseidon([input[0], input[1]]) in BN254 Fr.
    function poseidon(uint256[2] memory input) external pure returns (uint256);
}

/// @notice Poseidon of three field elements.
interface IPoseidon3 {
    /// @notice poseidon([input[0], input[1], input[2]]) in BN254 Fr.
    function poseidon(uint256[3] memory input) external pure returns (uint256);
}

/// @notice Poseidon of four field elements: the zk rollup's account leaf (pubX, pubY, balance, nonce).
interface IPoseidon4 {
    /// @notice poseidon(input[0..3]) in BN254 Fr.
    function poseidon(uint256[4] memory input) external pure returns (uint256);
}

/// @notice Poseidon of five field elements.
interface IPoseidon5 {
    /// @notice poseidon(input[0..4]) in BN254 Fr.
    function poseidon(uint256[5] memory input) external pure returns (uint256);
}
