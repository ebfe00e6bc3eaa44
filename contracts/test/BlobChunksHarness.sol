// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlobChunks} from "../optimistic/BlobChunks.sol";

/// @notice BlobChunks with a way to record opened bytes without KZG, so tests can check headerIsValid against the
///         TypeScript rule for many headers (openChunk itself is tested against real openings).
contract BlobChunksHarness is BlobChunks {
    function record(bytes32 location, bytes32 dataHash) external {
        chunkHashOf[location] = dataHash;
    }
}
