// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title BlobInbox
 * @notice Records rollup batches whose data travels in EIP-4844 blobs: the benchmark's stand-in for
 *         what a rollup contract pays on L1 to accept a blob-carried batch.
 * @dev The rollups in this project take their batch data as calldata. To price the same batches posted
 *      as blobs, this inbox does the L1 work a blob-accepting rollup must do: read each versioned hash
 *      with `blobhash(i)`, bind them to the claimed post-state root and transaction count, and store one
 *      commitment per batch chained to the previous one (as a rollup stores one batch record). It does
 *      no fraud or validity checking: the posting cost, not the security, is what it stands in for.
 */
contract BlobInbox {
    /// @notice The transaction carried no blobs, so there is no batch data to record.
    error NoBlobs(uint256 batchId);
    /// @notice A batch must carry at least one L2 transaction.
    error EmptyBatch(uint256 batchId);

    /// @notice A blob-carried batch was recorded.
    /// @param batchId 1-based batch number.
    /// @param commitment keccak256 over the previous commitment, the blob hashes, the root and the count.
    /// @param postStateRoot The L2 state root the batch claims.
    /// @param blobCount How many blobs carry the batch.
    /// @param txCount How many L2 transactions the batch holds.
    event BlobBatchRecorded(
        uint256 indexed batchId,
        bytes32 indexed commitment,
        bytes32 indexed postStateRoot,
        uint256 blobCount,
        uint256 txCount
    );

    /// @notice Number of batches recorded so far.
    uint256 public batchCount;
    /// @notice Commitment of each batch, by 1-based id.
    mapping(uint256 batchId => bytes32 commitment) public batchCommitment;

    /**
     * @notice Records the batch whose data is in this transaction's blobs.
     * @dev Reads `blobhash(i)` for i = 0.. until it returns zero; every versioned hash is folded into
     *      the commitment, so the batch record pins the exact blob contents (through their KZG
     *      commitments) as a calldata rollup pins the keccak of its calldata.
     * @param postStateRoot The L2 state root after the batch.
     * @param txCount How many L2 transactions the blobs carry.
     * @return batchId The new batch's id.
     */
    function recordBlobBatch(bytes32 postStateRoot, uint256 txCount) external returns (uint256 batchId) {
        batchId = batchCount + 1;
        if (txCount == 0) revert EmptyBatch(batchId);
        uint256 blobCount = 0;
        while (blobhash(blobCount) != bytes32(0)) blobCount++;
        if (blobCount == 0) revert NoBlobs(batchId);

        bytes32[] memory hashes = new bytes32[](blobCount);
        for (uint256 i = 0; i < blobCount; i++) hashes[i] = blobhash(i);
        bytes32 commitment = keccak256(abi.encode(batchCommitment[batchId - 1], hashes, postStateRoot, txCount));

        batchCount = batchId;
        batchCommitment[batchId] = commitment;
        emit BlobBatchRecorded(batchId, commitment, postStateRoot, blobCount, txCount);
    }
}
