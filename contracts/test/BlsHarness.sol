// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Bls12381} from "../libraries/Bls12381.sol";
import {BlsCodec} from "../libraries/BlsCodec.sol";

/// @title BlsHarness
/// @notice Exposes Bls12381 and BlsCodec to the differential tests against src/encoding/bls.ts and bls-tx.ts.
contract BlsHarness {
    /// @notice Bls12381.hashToG1.
    function hashToG1(bytes calldata message, bytes calldata dst) external view returns (bytes memory) {
        return Bls12381.hashToG1(message, dst);
    }

    /// @notice Bls12381.pairingCheck.
    function pairingCheck(bytes calldata pairs) external view returns (bool valid, bool holds) {
        return Bls12381.pairingCheck(pairs);
    }

    /// @notice Bls12381.isOnCurveG2 and isInSubgroupG2.
    function checkG2(bytes calldata point) external view returns (bool onCurve, bool inSubgroup) {
        return (Bls12381.isOnCurveG2(point), Bls12381.isInSubgroupG2(point));
    }

    /// @notice Bls12381.padG1.
    function padG1(bytes calldata compact) external pure returns (bytes memory) {
        return Bls12381.padG1(compact);
    }

    /// @notice The negated G2 generator constant.
    function negatedG2Generator() external pure returns (bytes memory) {
        return Bls12381.NEGATED_G2_GENERATOR;
    }

    /// @notice BlsCodec.decodeTransfer.
    function decodeTransfer(bytes calldata data, uint256 offset) external pure returns (BlsCodec.Transfer memory) {
        return BlsCodec.decodeTransfer(data, offset);
    }

    /// @notice BlsCodec.transferMessage.
    function transferMessage(BlsCodec.Transfer calldata t, uint32 nonce) external pure returns (bytes memory) {
        return BlsCodec.transferMessage(t, nonce);
    }

    /// @notice BlsCodec.domainTag with TX_TAG (pop = false) or POP_TAG.
    function domainTag(bool pop, uint256 chainId, address rollup) external pure returns (bytes memory) {
        return BlsCodec.domainTag(pop ? BlsCodec.POP_TAG : BlsCodec.TX_TAG, chainId, rollup);
    }
}
