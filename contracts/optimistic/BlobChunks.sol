// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBlobPosting} from "../interfaces/IBlobPosting.sol";
import {BlobCodec} from "../libraries/BlobCodec.sol";
import {BatchMerkle} from "./BatchMerkle.sol";

/// @title BlobChunks
/// @notice The optimistic rollup's blob posting (EIP-4844), beside the rollup: the layout of a blob batch, the check
///         of its header, and a record of bytes opened against their blobs for fraud proofs.
/// @dev A blob batch carries everything per chunk in its blobs, so its calldata is the same few words whatever its
///      size (under EIP-7623 a 32-byte value per chunk in calldata would cost 1,280 gas at the floor). The first
///      blob opens with the header, one entry per chunk, from element 0:
///        // entry: [byteLength<4>|stateRoot<32>|exitRoot<32>|depositCursor<8>|forcedCursor<8>]   84 bytes
///      then the chunks follow by BlobCodec's rule from the first element after the header. The operator posts the
///      root of the chunk tree whose leaf k is keccak256(stateRoot|exitRoot|location_k|depositCursor|forcedCursor),
///      location_k = BlobCodec.locationHash(its blob's versioned hash, its first element, its length): the leaf of a
///      calldata chunk with the chunk's location in place of the keccak of its bytes. Fraud proofs and exit claims
///      use that tree as for a calldata batch. L1 cannot read the header when the batch is posted, so a header
///      that does not give the posted root, or breaks a rule submitBatch enforces (a chunk over the bound, cursors
///      out of order, a chunk beyond the blobs, a blob no chunk uses, a last state other than the batch's), is a
///      fault of its own: the challenger opens the header in parts (openChunk, at most HEADER_PART_ELEMENTS
///      elements a transaction) and OptimisticRollup.proveBadBlobHeader checks it here (headerIsValid). A challenger
///      opens a chunk the same way (openChunk), then proves fraud with OptimisticRollup.proveFraud: the rollup takes
///      chunk bytes whose keccak256 is the leaf's, or is what this contract recorded for the leaf's location.
///      Optimism's PreimageOracle keeps blob data for its fault proofs the same way. The rollup deploys its own
///      instance; anybody may open bytes in it, and a record is a fact about a blob, whoever made it.
contract BlobChunks is IBlobPosting {
    /// @dev OptimisticRollup.CHUNK_TREE_DEPTH.
    uint256 private constant CHUNK_TREE_DEPTH = 8;
    /// @notice The largest chunk size for blob batches: opening the largest chunk (openChunk) must fit in one
    ///         transaction. 32 withdrawals are 3,232 bytes, 105 field elements: 7.81 M gas measured
    ///         (test/contracts/BlobCodec.test.ts); a BLS chunk adds its 96-byte aggregate: 3,328 bytes, 108 elements,
    ///         7.71 M measured (test/optimistic/bls/bls-blob.test.ts); 64 would be 209 elements, about 15.9 M with
    ///         calldata, at the cap.
    uint256 public constant MAX_BLOB_CHUNK_SIZE = 32;
    /// @notice Bytes of a header entry.
    uint256 public constant ENTRY_BYTES = 84;
    /// @notice The header is opened in parts of this many elements (2,976 bytes), each part in one transaction
    ///         (about 7.1 M gas); the largest header, 256 entries, is 694 elements in 8 parts.
    uint256 public constant HEADER_PART_ELEMENTS = 96;

    /// @notice keccak256 of the bytes opened at each location (0: not opened).
    mapping(bytes32 location => bytes32 dataHash) public chunkHashOf;

    /// @notice `opener` opened the bytes at `location`: they hash to `dataHash`.
    event ChunkOpened(bytes32 indexed location, bytes32 indexed dataHash, address indexed opener, uint256 elements);

    /// @notice Whether `header` is a valid header for a blob batch posted in blobs `versionedHashes` (in order) whose
    ///         record says `c`: every part of it opened against the first blob (else HeaderNotOpened), and the
    ///         rules of submitBatch hold for the chunks it lays out, whose tree root is the posted one.
    /// @dev Reverts (HeaderLength, HeaderNotOpened) only when the proof itself is incomplete; false is the fault.
    function headerIsValid(
        bytes32[] calldata versionedHashes,
        bytes calldata header,
        HeaderCheck calldata c
    ) external view returns (bool) {
        if (header.length != ENTRY_BYTES * c.chunkCount) revert HeaderLength(header.length, ENTRY_BYTES * c.chunkCount);
        _requireOpened(versionedHashes[0], header);
        (bool ok, bytes32[] memory leaves) = _leaves(versionedHashes, header, c);
        return ok && BatchMerkle.rootOf(leaves, CHUNK_TREE_DEPTH) == c.chunksRoot;
    }

    /// @dev Every part of `header` was opened against the first blob with these bytes.
    function _requireOpened(bytes32 firstBlob, bytes calldata header) private view {
        uint256 partBytes = HEADER_PART_ELEMENTS * BlobCodec.PAYLOAD_BYTES_PER_ELEMENT;
        for (uint256 part = 0; part * partBytes < header.length; ++part) {
            uint256 start = part * partBytes;
            uint256 end = start + partBytes < header.length ? start + partBytes : header.length;
            bytes32 location = BlobCodec.locationHash(
                firstBlob,
                uint32(part * HEADER_PART_ELEMENTS),
                uint32(end - start)
            );
            if (chunkHashOf[location] != keccak256(header[start:end])) revert HeaderNotOpened(part, location);
        }
    }

    /// @dev The chunk leaves the header gives, or false when it breaks a rule of the layout.
    function _leaves(
        bytes32[] calldata versionedHashes,
        bytes calldata header,
        HeaderCheck calldata c
    ) private pure returns (bool, bytes32[] memory leaves) {
        leaves = new bytes32[](c.chunkCount);
        // [blob index, next free element]: the chunks start after the header, in the first blob.
        uint256[2] memory place = [uint256(0), BlobCodec.elementsFor(header.length)];
        uint64[2] memory cursors = [c.parentDepositEnd, c.parentForcedEnd];
        for (uint256 i = 0; i < c.chunkCount; ++i) {
            bytes calldata entry = header[i * ENTRY_BYTES:(i + 1) * ENTRY_BYTES];
            // INVARIANT: cursors never go back and stay within the batch's, as submitBatch requires.
            if (!_advance(cursors, entry, c)) return (false, leaves);
            bool fits;
            (fits, leaves[i]) = _place(place, versionedHashes, entry, c.maxLength);
            if (!fits) return (false, leaves);
        }
        // INVARIANT: the batch is exactly the blobs it carries, so every blob the watcher fetches is its data; and
        // its last entry is the state the batch stored (the parent of the next batch, and what users escape from).
        if (place[0] + 1 != versionedHashes.length) return (false, leaves);
        bytes32 lastRoot = bytes32(header[header.length - ENTRY_BYTES + 4:header.length - ENTRY_BYTES + 36]);
        if (lastRoot != c.stateRoot || cursors[0] != c.depositEnd || cursors[1] != c.forcedEnd) return (false, leaves);
        return (true, leaves);
    }

    /// @dev Places the entry's chunk at `place` by BlobCodec's rule and returns its leaf; false when the chunk is over
    ///      the bound or beyond the blobs.
    function _place(
        uint256[2] memory place,
        bytes32[] calldata versionedHashes,
        bytes calldata entry,
        uint256 maxLength
    ) private pure returns (bool, bytes32) {
        uint32 length = uint32(bytes4(entry[0:4]));
        // INVARIANT: a blob chunk is no longer than a calldata chunk may be, so opening it fits in one transaction.
        if (length > maxLength) return (false, 0);
        uint256 elements = BlobCodec.elementsFor(length);
        if (place[1] + elements > BlobCodec.FIELD_ELEMENTS_PER_BLOB) {
            place[0] += 1;
            place[1] = 0;
            if (place[0] == versionedHashes.length) return (false, 0);
        }
        bytes32 location = BlobCodec.locationHash(versionedHashes[place[0]], uint32(place[1]), length);
        place[1] += elements;
        return (true, keccak256(abi.encodePacked(entry[4:68], location, entry[68:84])));
    }

    /// @dev Moves `cursors` to the entry's; false when they go back or pass the batch's last.
    function _advance(
        uint64[2] memory cursors,
        bytes calldata entry,
        HeaderCheck calldata c
    ) private pure returns (bool) {
        uint64 deposits = uint64(bytes8(entry[68:76]));
        uint64 forced = uint64(bytes8(entry[76:84]));
        if (deposits < cursors[0] || deposits > c.depositEnd || forced < cursors[1] || forced > c.forcedEnd)
            return false;
        cursors[0] = deposits;
        cursors[1] = forced;
        return true;
    }

    /// @notice Opens `chunkData` (a chunk, or a part of a header) against its blob and records keccak256(chunkData) for
    ///         its location: `opening`
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
        // INVARIANT: bytes are recorded for a location only once every element they span opened against its blob's
        // versioned hash, so no proof can re-execute bytes the blob does not hold.
        location = BlobCodec.locationHash(o.versionedHash, o.firstElement, uint32(chunkData.length));
        bytes32 dataHash = keccak256(chunkData);
        chunkHashOf[location] = dataHash;
        emit ChunkOpened(location, dataHash, msg.sender, count);
    }

    /// @dev The `index`-th 48-byte proof of `proofs`.
    function _proof(bytes memory proofs, uint256 index) private pure returns (bytes memory proof) {
        proof = new bytes(BlobCodec.G1_POINT_LENGTH);
        for (uint256 i = 0; i < BlobCodec.G1_POINT_LENGTH; ++i) {
            proof[i] = proofs[index * BlobCodec.G1_POINT_LENGTH + i];
        }
    }
}
