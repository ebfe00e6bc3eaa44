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

    /// @notice What a blob batch's header must agree with: the record's chunk tree, chunk count and last state, the
    ///         parent's cursors, and the rollup's chunk bound.
    struct HeaderCheck {
        bytes32 chunksRoot;
        uint256 chunkCount;
        uint256 maxLength;
        uint64 parentDepositEnd;
        uint64 parentForcedEnd;
        bytes32 stateRoot;
        uint64 depositEnd;
        uint64 forcedEnd;
    }

    /// @notice A blob batch came in a transaction that carries no blob.
    error NoBlobs();
    /// @notice The header given is not `expected` bytes long (84 per chunk).
    error HeaderLength(uint256 length, uint256 expected);
    /// @notice Part `part` of the header was not opened against the batch's first blob (openChunk) with these bytes.
    error HeaderNotOpened(uint256 part, bytes32 location);
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
