// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IBlobPosting
/// @notice Structs and errors of the optimistic rollup's blob posting (EIP-4844): contracts/optimistic/BlobChunks.sol
///         and OptimisticRollup.submitBlobBatch.
interface IBlobPosting {
    /// @notice The opening of one chunk of a blob batch: the blob (versioned hash and KZG commitment), the chunk's
    ///         first element, every element it spans and one KZG proof (48 bytes) per element, concatenated.
    struct BlobOpening {
        bytes32 versionedHash;
        uint32 firstElement;
        bytes commitment;
        bytes32[] elements;
        bytes proofs;
    }

    /// @notice A blob batch came in a transaction that carries no blob.
    error NoBlobs();
    /// @notice Chunk `chunkIndex` lies in blob `blobIndex`, which the transaction does not carry.
    error BlobMissing(uint256 chunkIndex, uint256 blobIndex);
    /// @notice The transaction carries blob `blobIndex`, which no chunk uses.
    error UnusedBlob(uint256 blobIndex, bytes32 versionedHash);
    /// @notice This rollup's chunks are too large for a blob fraud proof to fit in one transaction.
    error ChunkSizeTooLargeForBlobs(uint256 chunkSize, uint256 maxChunkSize);
    /// @notice The opening does not have one element and one 48-byte proof per element the chunk spans.
    error BlobOpeningLength(uint256 elements, uint256 proofBytes, uint256 expectedElements);
    /// @notice Element `element` of the opening does not carry the chunk's bytes at its place.
    error BlobElementMismatch(uint256 element);
    /// @notice The point-evaluation precompile refused the opening of element `element`.
    error InvalidBlobOpening(uint256 element, bytes32 versionedHash);
}
