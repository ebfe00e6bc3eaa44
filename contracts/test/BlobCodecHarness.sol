// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlobCodec} from "../libraries/BlobCodec.sol";

/// @title BlobCodecHarness
/// @notice Exposes BlobCodec to the differential tests against src/encoding/blob.ts.
contract BlobCodecHarness {
    function elementsFor(uint256 byteLength) external pure returns (uint256) {
        return BlobCodec.elementsFor(byteLength);
    }

    function locationHash(
        bytes32 versionedHash,
        uint32 firstElement,
        uint32 byteLength
    ) external pure returns (bytes32) {
        return BlobCodec.locationHash(versionedHash, firstElement, byteLength);
    }

    function evaluationPoint(uint256 index) external pure returns (uint256) {
        return BlobCodec.evaluationPoint(index);
    }

    /// @notice The chunk bytes the elements carry, cut to `byteLength`: the inverse of the layout.
    function payloadOf(bytes32[] calldata elements, uint256 byteLength) external pure returns (bytes memory data) {
        data = new bytes(byteLength);
        for (uint256 k = 0; k < byteLength; ++k) {
            uint256 j = k / BlobCodec.PAYLOAD_BYTES_PER_ELEMENT;
            data[k] = elements[j][k - j * BlobCodec.PAYLOAD_BYTES_PER_ELEMENT + 1];
        }
    }

    function carries(bytes32 element, bytes calldata data, uint256 offset) external pure returns (bool) {
        return BlobCodec.carries(element, data, offset);
    }

    function opens(
        bytes32 versionedHash,
        bytes calldata commitment,
        uint256 index,
        bytes32 element,
        bytes calldata proof
    ) external view returns (bool) {
        return BlobCodec.opens(versionedHash, commitment, index, element, proof);
    }
}
