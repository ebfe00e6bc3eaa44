// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOptimisticRollup} from "../interfaces/IOptimisticRollup.sol";
import {IBlobPosting} from "../interfaces/IBlobPosting.sol";
import {BlobCodec} from "../libraries/BlobCodec.sol";
import {BatchMerkle} from "./BatchMerkle.sol";

/// @title BlobChunks
/// @notice The optimistic rollup's blob posting (EIP-4844), beside the rollup: the chunk layout across the blobs of
///         the posting transaction, and a record of chunk bytes opened against their blobs for fraud proofs.
/// @dev A blob batch's chunk leaf commits, in place of keccak256(chunk bytes), to where the bytes are:
///      sha256(versionedHash<32>|firstElement<4>|byteLength<4>) (BlobCodec.locationHash), with the versioned hash
///      read with `blobhash` during the posting transaction itself. A challenger first opens the chunk (openChunk:
///      one point evaluation per field element it spans, and the record location => keccak256(bytes)), then proves
///      fraud with OptimisticRollup.proveFraud as for a calldata chunk: the rollup takes chunk bytes whose keccak256
///      is the leaf's, or is what this contract recorded for the leaf's location. Optimism's PreimageOracle keeps
///      blob data for its fault proofs the same way. Splitting the opening from the re-execution keeps each under
///      the EIP-7825 cap, and keeps the rollup under EIP-170's 24,576 bytes of code. The rollup deploys its own
///      instance; anybody may open chunks in it, and a record is a fact about a blob, whoever made it.
contract BlobChunks is IBlobPosting {
    /// @dev OptimisticRollup.CHUNK_TREE_DEPTH.
    uint256 private constant CHUNK_TREE_DEPTH = 8;
    /// @dev TxCodec.WITHDRAW_LENGTH: the largest tx.
    uint256 private constant MAX_TX_LENGTH = 101;
    /// @notice The largest chunk size for blob batches: opening the largest chunk (openChunk) must fit in one
    ///         transaction. 32 withdrawals are 3,232 bytes, 105 field elements: 7.81 M gas measured
    ///         (test/contracts/BlobCodec.test.ts); 64 would be 209 elements, about 15.9 M with calldata, at the cap.
    uint256 public constant MAX_BLOB_CHUNK_SIZE = 32;

    /// @notice keccak256 of the chunk bytes opened at each location (0: not opened).
    mapping(bytes32 location => bytes32 dataHash) public chunkHashOf;

    /// @notice `opener` opened the chunk at `location`: its bytes hash to `dataHash`.
    event ChunkOpened(bytes32 indexed location, bytes32 indexed dataHash, address indexed opener, uint256 elements);

    /// @notice OptimisticRollup._chunksRoot for a blob batch, from submitBlobBatch's own arguments (`arguments` = its
    ///         input after the selector): each chunk's leaf commits to its location in the blobs (locate) instead of
    ///         the keccak of its bytes, under the same bounds on sizes and cursors (each chunk at most `chunkSize`
    ///         withdrawals long; cursors between the parent's and the last chunk's, never going back).
    /// @dev The watcher decodes the batch from the posting transaction's input with a strict decoder, so the input
    ///      must be the standard encoding (as OptimisticRollup._requireRecoverable checks for submitBatch). Called
    ///      from the posting transaction, so `blobhash` reads its blobs.
    function chunksRoot(
        bytes calldata arguments,
        uint256 chunkSize,
        uint64 depositCursor,
        uint64 forcedCursor
    ) external view returns (bytes32 root) {
        // INVARIANT: every chunk of a blob batch can be opened in one transaction.
        if (chunkSize > MAX_BLOB_CHUNK_SIZE) revert ChunkSizeTooLargeForBlobs(chunkSize, MAX_BLOB_CHUNK_SIZE);
        (
            uint32[] memory lengths,
            IOptimisticRollup.ChunkState[] memory states,
            address feeRecipient,
            uint32 feeAccount
        ) = abi.decode(arguments, (uint32[], IOptimisticRollup.ChunkState[], address, uint32));
        // The arguments are a few words per chunk (the bytes travel in blobs), so re-encoding them costs little.
        bytes memory standard = abi.encode(lengths, states, feeRecipient, feeAccount);
        if (keccak256(arguments) != keccak256(standard)) {
            revert IOptimisticRollup.NonStandardCalldata(4 + _firstDifference(arguments, standard));
        }
        bytes32[] memory leaves = locate(lengths, chunkSize * MAX_TX_LENGTH);
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

    /// @notice The location (BlobCodec.locationHash) of each chunk, laid out by BlobCodec's rule in this
    ///         transaction's blobs (blobhash(0), blobhash(1), ...): a chunk starts at a fresh element, in the next
    ///         blob when it would not fit. Each chunk is at most `maxLength` bytes.
    function locate(uint32[] memory lengths, uint256 maxLength) public view returns (bytes32[] memory locations) {
        uint256 count = 0;
        while (blobhash(count) != bytes32(0)) ++count;
        if (count == 0) revert NoBlobs();
        locations = new bytes32[](lengths.length);
        uint256 blobIndex = 0;
        uint256 element = 0;
        for (uint256 i = 0; i < lengths.length; ++i) {
            if (lengths[i] > maxLength) revert IOptimisticRollup.ChunkTooLarge(i, lengths[i], maxLength);
            uint256 elements = BlobCodec.elementsFor(lengths[i]);
            if (element + elements > BlobCodec.FIELD_ELEMENTS_PER_BLOB) {
                ++blobIndex;
                element = 0;
                if (blobIndex == count) revert BlobMissing(i, blobIndex);
            }
            locations[i] = BlobCodec.locationHash(blobhash(blobIndex), uint32(element), lengths[i]);
            element += elements;
        }
        // INVARIANT: the batch is exactly the blobs it carries: a blob no chunk uses is refused, so every blob the
        // watcher fetches for a batch is chunk data.
        if (blobIndex + 1 != count) revert UnusedBlob(blobIndex + 1, blobhash(blobIndex + 1));
    }

    /// @notice Opens `chunkData` against its blob and records keccak256(chunkData) for its location: `opening`
    ///         (abi.encode(BlobOpening)) holds every element the bytes span and one KZG proof per element, each
    ///         checked by the point-evaluation precompile. Returns the location.
    /// @dev The precompile checks that `commitment` is the one behind `versionedHash`. A wrong opening reverts.
    ///      gas: about 74,000 per element (50,000 for the precompile), 7.79 M for the largest chunk of 32
    ///      withdrawals (3,232 bytes, 105 elements), measured in test/contracts/BlobCodec.test.ts.
    function openChunk(bytes calldata chunkData, bytes calldata opening) external returns (bytes32 location) {
        BlobOpening memory o = abi.decode(opening, (BlobOpening));
        uint256 count = BlobCodec.elementsFor(chunkData.length);
        if (o.elements.length != count || o.proofs.length != count * BlobCodec.G1_POINT_LENGTH) {
            revert BlobOpeningLength(o.elements.length, o.proofs.length, count);
        }
        for (uint256 j = 0; j < count; ++j) {
            if (!BlobCodec.carries(o.elements[j], chunkData, j * BlobCodec.PAYLOAD_BYTES_PER_ELEMENT)) {
                revert BlobElementMismatch(j);
            }
            if (
                !BlobCodec.opens(o.versionedHash, o.commitment, o.firstElement + j, o.elements[j], _proof(o.proofs, j))
            ) {
                revert InvalidBlobOpening(j, o.versionedHash);
            }
        }
        location = BlobCodec.locationHash(o.versionedHash, o.firstElement, uint32(chunkData.length));
        bytes32 dataHash = keccak256(chunkData);
        chunkHashOf[location] = dataHash;
        emit ChunkOpened(location, dataHash, msg.sender, count);
    }

    /// @dev The first byte at which `received` and `standard` differ (the shorter one's length if one is the other's
    ///      prefix).
    function _firstDifference(bytes calldata received, bytes memory standard) private pure returns (uint256 i) {
        while (i < received.length && i < standard.length && received[i] == standard[i]) ++i;
    }

    /// @dev The `index`-th 48-byte proof of `proofs`.
    function _proof(bytes memory proofs, uint256 index) private pure returns (bytes memory proof) {
        proof = new bytes(BlobCodec.G1_POINT_LENGTH);
        for (uint256 i = 0; i < BlobCodec.G1_POINT_LENGTH; ++i) {
            proof[i] = proofs[index * BlobCodec.G1_POINT_LENGTH + i];
        }
    }
}
