// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBlobPosting} from "../interfaces/IBlobPosting.sol";
import {IOptimisticRollup} from "../interfaces/IOptimisticRollup.sol";
import {BlobCodec} from "../libraries/BlobCodec.sol";
import {BatchMerkle} from "./BatchMerkle.sol";

/// @title BlobPosting
/// @notice What the optimistic rollup adds to post batches in EIP-4844 blobs: the chunk layout across the blobs of
///         the posting transaction, and the opening of a chunk's bytes against its blob in a fraud proof.
/// @dev A blob batch's chunk leaf commits, in place of keccak256(chunk bytes), to where the bytes are:
///      keccak256(versionedHash<32>|firstElement<4>|byteLength<4>) (BlobCodec.locationHash), with the versioned hash
///      read by L1 itself with `blobhash`. A fraud proof then opens every field element the chunk spans with the
///      point-evaluation precompile (BlobCodec.opens): 50,000 gas each. See docs/optimistic.md.
///      An external library (linked into OptimisticRollup, called by DELEGATECALL, so `blobhash` still reads the
///      posting transaction's blobs): the rollup's own code stays under the 24,576-byte limit of EIP-170.
library BlobPosting {
    /// @dev OptimisticRollup.CHUNK_TREE_DEPTH.
    uint256 private constant CHUNK_TREE_DEPTH = 8;

    /// @notice OptimisticRollup._chunksRoot for a blob batch, from submitBlobBatch's own arguments
    ///         (`arguments` = its input after the selector): each chunk's leaf commits to its location in the blobs
    ///         (locate) instead of the keccak of its bytes, under the same bounds on sizes and cursors (each chunk at
    ///         most `maxLength` bytes; cursors between the parent's and the last chunk's, never going back).
    ///         Returns the chunk-tree root and the transaction's versioned hashes.
    /// @dev The watcher decodes the batch from the posting transaction's input with a strict decoder, so the input
    ///      must be the standard encoding (as OptimisticRollup._requireRecoverable checks for submitBatch).
    function chunksRoot(
        bytes calldata arguments,
        uint256 maxLength,
        uint64 depositCursor,
        uint64 forcedCursor
    ) external view returns (bytes32 root, bytes32[] memory hashes) {
        (
            uint32[] memory lengths,
            IOptimisticRollup.ChunkState[] memory states,
            address feeRecipient,
            uint32 feeAccount
        ) = abi.decode(arguments, (uint32[], IOptimisticRollup.ChunkState[], address, uint32));
        bytes32 received = keccak256(arguments);
        bytes32 standard = keccak256(abi.encode(lengths, states, feeRecipient, feeAccount));
        if (received != standard) revert IOptimisticRollup.NonStandardCalldata(received, standard);
        bytes32[] memory leaves;
        (hashes, leaves) = locate(lengths, maxLength);
        IOptimisticRollup.ChunkState memory last = states[lengths.length - 1];
        for (uint256 i = 0; i < lengths.length; ++i) {
            IOptimisticRollup.ChunkState memory s = states[i];
            if (
                s.depositCursor < depositCursor ||
                s.depositCursor > last.depositCursor ||
                s.forcedCursor < forcedCursor ||
                s.forcedCursor > last.forcedCursor
            ) revert IOptimisticRollup.ChunkCursorOutOfOrder(i, s.depositCursor, s.forcedCursor);
            depositCursor = s.depositCursor;
            forcedCursor = s.forcedCursor;
            leaves[i] = keccak256(
                abi.encodePacked(s.stateRoot, s.exitRoot, leaves[i], s.depositCursor, s.forcedCursor)
            );
        }
        root = BatchMerkle.rootOf(leaves, CHUNK_TREE_DEPTH);
    }

    /// @notice The versioned hashes of the transaction's blobs (blobhash(0), blobhash(1), ... up to the first zero),
    ///         and the location hash (BlobCodec.locationHash) of each chunk, laid out by BlobCodec's rule: a chunk
    ///         starts at a fresh element, in the next blob when it would not fit; each chunk at most `maxLength` bytes.
    function locate(
        uint32[] memory lengths,
        uint256 maxLength
    ) internal view returns (bytes32[] memory hashes, bytes32[] memory locations) {
        uint256 count = 0;
        while (blobhash(count) != bytes32(0)) ++count;
        if (count == 0) revert IBlobPosting.NoBlobs();
        hashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) hashes[i] = blobhash(i);
        locations = new bytes32[](lengths.length);
        uint256 blobIndex = 0;
        uint256 element = 0;
        for (uint256 i = 0; i < lengths.length; ++i) {
            if (lengths[i] > maxLength) revert IOptimisticRollup.ChunkTooLarge(i, lengths[i], maxLength);
            uint256 elements = BlobCodec.elementsFor(lengths[i]);
            if (element + elements > BlobCodec.FIELD_ELEMENTS_PER_BLOB) {
                ++blobIndex;
                element = 0;
                if (blobIndex == count) revert IBlobPosting.BlobMissing(i, blobIndex);
            }
            locations[i] = BlobCodec.locationHash(hashes[blobIndex], uint32(element), lengths[i]);
            element += elements;
        }
        // INVARIANT: the batch is exactly the blobs it carries: a blob no chunk uses is refused, so every blob the
        // watcher fetches for a batch is chunk data.
        if (blobIndex + 1 != count) revert IBlobPosting.UnusedBlob(blobIndex + 1, hashes[blobIndex + 1]);
    }

    /// @notice Checks that `opening` (abi.encode(BlobOpening)) holds the bytes of `chunkData` and that each of its
    ///         elements is the blob's; returns the location it opened (BlobCodec.locationHash), which the caller
    ///         compares with the chunk's committed leaf.
    /// @dev The precompile checks that `commitment` is the one behind `versionedHash`.
    ///      gas: 50,000 per element for the precompile, plus the point, the comparison and the calldata.
    function openedLocation(bytes calldata chunkData, bytes calldata opening) external view returns (bytes32) {
        IBlobPosting.BlobOpening memory o = abi.decode(opening, (IBlobPosting.BlobOpening));
        uint256 count = BlobCodec.elementsFor(chunkData.length);
        if (o.elements.length != count || o.proofs.length != count * BlobCodec.G1_POINT_LENGTH) {
            revert IBlobPosting.BlobOpeningLength(o.elements.length, o.proofs.length, count);
        }
        for (uint256 j = 0; j < count; ++j) {
            if (!BlobCodec.carries(o.elements[j], chunkData, j * BlobCodec.PAYLOAD_BYTES_PER_ELEMENT)) {
                revert IBlobPosting.BlobElementMismatch(j);
            }
            if (
                !BlobCodec.opens(o.versionedHash, o.commitment, o.firstElement + j, o.elements[j], _proof(o.proofs, j))
            ) {
                revert IBlobPosting.InvalidBlobOpening(j, o.versionedHash);
            }
        }
        return BlobCodec.locationHash(o.versionedHash, o.firstElement, uint32(chunkData.length));
    }

    /// @dev The `index`-th 48-byte proof of `proofs`.
    function _proof(bytes memory proofs, uint256 index) private pure returns (bytes memory proof) {
        proof = new bytes(BlobCodec.G1_POINT_LENGTH);
        for (uint256 i = 0; i < BlobCodec.G1_POINT_LENGTH; ++i)
            proof[i] = proofs[index * BlobCodec.G1_POINT_LENGTH + i];
    }
}
