// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ZkCommitment} from "../zk/ZkCommitment.sol";
import {ZkFloat} from "../zk/ZkFloat.sol";
import {ZkOps} from "../zk/ZkOps.sol";

/// @notice Exposes the zk rollup's codecs to the differential tests against src/zk (test/zk/codec.test.ts).
contract ZkCodecHarness {
    /// @notice ZkOps.decode of slot `slot`.
    function decodeOp(bytes calldata ops, uint256 slot) external pure returns (ZkOps.Op memory) {
        return ZkOps.decode(ops, slot);
    }

    /// @notice ZkFloat.decode.
    function decodeFloat(uint256 code, uint256 mantissaBits) external pure returns (uint256) {
        return ZkFloat.decode(code, mantissaBits);
    }

    /// @notice ZkFloat.isRepresentable.
    function isRepresentable(uint256 value, uint256 mantissaBits) external pure returns (bool) {
        return ZkFloat.isRepresentable(value, mantissaBits);
    }

    /// @notice ZkCommitment.compute.
    function commitment(
        uint256 oldRoot,
        uint256 newRoot,
        uint256 chainBefore,
        uint256 chainAfter,
        bytes calldata ops
    ) external pure returns (uint256) {
        return ZkCommitment.compute(oldRoot, newRoot, chainBefore, chainAfter, ops);
    }
}
