// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BlobCodec
/// @notice The rollup's blob layout (EIP-4844) and the point-evaluation opening of one field element. Mirrors
///         src/encoding/blob.ts.
/// @dev A blob is 4,096 field elements of 32 bytes. Each element carries 31 bytes of chunk data behind a high byte
///      that readers ignore: // element: [high<1, ignored>|payload<31>]
///      Chunks are laid out in order, each from a fresh element, in the first blob where the whole chunk still
///      fits; L1 derives every chunk's blob and first element from the chunk lengths alone:
///      // chunk k: elements [first_k, first_k + ceil(length_k / 31)) of blob b_k
///      Element i is the blob polynomial's value at z_i = ROOT_OF_UNITY^bitreverse12(i) (EIP-4844's evaluation form
///      is in bit-reversed order).
library BlobCodec {
    uint256 internal constant FIELD_ELEMENTS_PER_BLOB = 4096;
    uint256 internal constant PAYLOAD_BYTES_PER_ELEMENT = 31;
    uint256 internal constant BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001;
    /// @dev 7^((BLS_MODULUS - 1) / 4096) mod BLS_MODULUS: a primitive 4,096th root of unity.
    uint256 internal constant ROOT_OF_UNITY = 0x564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306;
    /// @dev EIP-4844's point-evaluation precompile.
    address internal constant POINT_EVALUATION = address(0x0a);
    /// @dev Bytes of a KZG commitment or proof (a compressed BLS12-381 G1 point).
    uint256 internal constant G1_POINT_LENGTH = 48;
    uint256 private constant PAYLOAD_MASK = (1 << 248) - 1;

    /// @notice How many field elements `byteLength` bytes of chunk data span.
    function elementsFor(uint256 byteLength) internal pure returns (uint256) {
        return (byteLength + PAYLOAD_BYTES_PER_ELEMENT - 1) / PAYLOAD_BYTES_PER_ELEMENT;
    }

    /// @notice What a blob batch's chunk leaf commits to instead of the keccak of calldata:
    ///         sha256(versionedHash<32>|firstElement<4>|byteLength<4>).
    /// @dev sha256, not keccak256: a calldata chunk's leaf holds keccak256(its bytes), and a fraud proof for one is
    ///      accepted when keccak256(chunkData) matches. Were locations keccak hashes too, a challenger could send a
    ///      location's 40-byte preimage as chunkData and "prove" an honest blob batch invalid. No bytes have a keccak256
    ///      equal to a sha256 output short of breaking one of them, so each proof path only accepts its own batches.
    function locationHash(
        bytes32 versionedHash,
        uint32 firstElement,
        uint32 byteLength
    ) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(versionedHash, firstElement, byteLength));
    }

    /// @notice The evaluation point of element `index`: ROOT_OF_UNITY^bitreverse12(index) mod BLS_MODULUS.
    /// @dev gas: 12 square-and-multiply steps, a few hundred gas next to the precompile's 50,000.
    function evaluationPoint(uint256 index) internal pure returns (uint256 point) {
        uint256 exponent = 0;
        for (uint256 bit = 0; bit < 12; ++bit) exponent |= ((index >> bit) & 1) << (11 - bit);
        point = 1;
        uint256 base = ROOT_OF_UNITY;
        while (exponent != 0) {
            if (exponent & 1 == 1) point = mulmod(point, base, BLS_MODULUS);
            base = mulmod(base, base, BLS_MODULUS);
            exponent >>= 1;
        }
    }

    /// @notice Whether `element`'s payload begins with `data[offset:]`, up to 31 bytes.
    /// @dev The high byte is not compared: it is no part of the payload. Nor are the payload bytes past `data`'s end
    ///      in its last element: they are no part of the data (its location names its length), and whatever the
    ///      poster left there must not keep the data from being opened, or a fraud in it could never be proven.
    function carries(bytes32 element, bytes calldata data, uint256 offset) internal pure returns (bool) {
        uint256 end = offset + PAYLOAD_BYTES_PER_ELEMENT;
        if (end > data.length) end = data.length;
        // The bits of the payload that hold data: its first (end - offset) bytes after the high byte.
        uint256 mask = PAYLOAD_MASK & ~((1 << (8 * (PAYLOAD_BYTES_PER_ELEMENT - (end - offset)))) - 1);
        // A slice shorter than 32 bytes converts right-padded with zeros.
        return uint256(element) & mask == uint256(bytes32(data[offset:end])) >> 8;
    }

    /// @notice Whether the blob committed to by `versionedHash` (through `commitment`) holds `element` at `index`:
    ///         one call to the point-evaluation precompile, which checks the commitment's versioned hash, that the
    ///         value is a field element, and the KZG proof.
    function opens(
        bytes32 versionedHash,
        bytes memory commitment,
        uint256 index,
        bytes32 element,
        bytes memory proof
    ) internal view returns (bool) {
        if (commitment.length != G1_POINT_LENGTH || proof.length != G1_POINT_LENGTH) return false;
        (bool ok, bytes memory output) = POINT_EVALUATION.staticcall(
            abi.encodePacked(versionedHash, evaluationPoint(index), element, commitment, proof)
        );
        // The precompile answers (FIELD_ELEMENTS_PER_BLOB, BLS_MODULUS) on success and fails otherwise.
        return ok && output.length == 64 && abi.decode(output, (uint256)) == FIELD_ELEMENTS_PER_BLOB;
    }
}
