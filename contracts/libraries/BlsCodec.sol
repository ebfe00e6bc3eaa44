// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BlsCodec
/// @notice The compact transfer of the optimistic rollup's BLS variant, the message its sender signs, and the domain
///         separation tags of its signatures.
/// @dev A chunk of a BLS rollup is [signature<96>|txs...]: the aggregate signature of its BLS transfers (G1, x<48>|y<48>,
///      all zeros for none), then txs in the TxCodec layouts plus this one:
///        bls transfer (0x06)  [type<1>|from<4>|to<4>|amount<2>|fee<1>]                               12 bytes
///      amount<2> = [exponent<5 bits>|mantissa<11 bits>], value = mantissa * 10^exponent (3 significant digits, any
///      magnitude); fee<1> = [exponent<5 bits>|mantissa<3 bits>] (one digit, 1 to 7, at any power of ten). The nonce is
///      not carried: it is the sender's nonce in the state the transfer applies to, and the signed message holds it.
///      The signed message is [from<4>|to<4>|amount<32>|fee<32>|nonce<4>] (decoded values, 76 bytes), hashed to G1
///      under the transfer DST. Mirrored in src/encoding/bls-tx.ts.
library BlsCodec {
    uint8 internal constant TYPE_BLS_TRANSFER = 0x06;
    uint256 internal constant BLS_TRANSFER_LENGTH = 12;
    uint256 internal constant SIGNATURE_LENGTH = 96;
    uint256 internal constant AMOUNT_MANTISSA_BITS = 11;
    uint256 internal constant FEE_MANTISSA_BITS = 3;

    /// @dev The tags of RFC 9380 hashing, followed on chain by chainId<32>|rollup<20> (see domainTag).
    bytes internal constant TX_TAG = "L2LAB-OPTIMISTIC-V1-TX_BLS12381G1_XMD:SHA-256_SSWU_RO_";
    bytes internal constant POP_TAG = "L2LAB-OPTIMISTIC-V1-POP_BLS12381G1_XMD:SHA-256_SSWU_RO_";

    struct Transfer {
        uint32 from;
        uint32 to;
        uint256 amount;
        uint256 fee;
    }

    /// @notice Decodes the BLS transfer at `offset` (its type and length already checked).
    function decodeTransfer(bytes calldata data, uint256 offset) internal pure returns (Transfer memory transfer) {
        transfer.from = uint32(bytes4(data[offset + 1:offset + 5]));
        transfer.to = uint32(bytes4(data[offset + 5:offset + 9]));
        transfer.amount = decodeAmount(uint16(bytes2(data[offset + 9:offset + 11])));
        transfer.fee = decodeFee(uint8(data[offset + 11]));
    }

    /// @notice The wei value of a packed 2-byte amount.
    function decodeAmount(uint16 packed) internal pure returns (uint256) {
        return (uint256(packed) & ((1 << AMOUNT_MANTISSA_BITS) - 1)) * 10 ** (uint256(packed) >> AMOUNT_MANTISSA_BITS);
    }

    /// @notice The wei value of a packed 1-byte fee.
    function decodeFee(uint8 packed) internal pure returns (uint256) {
        return (uint256(packed) & ((1 << FEE_MANTISSA_BITS) - 1)) * 10 ** (uint256(packed) >> FEE_MANTISSA_BITS);
    }

    /// @notice The message the sender's BLS key signs for `transfer` at the sender's nonce `nonce`.
    function transferMessage(Transfer memory transfer, uint32 nonce) internal pure returns (bytes memory) {
        return abi.encodePacked(transfer.from, transfer.to, transfer.amount, transfer.fee, nonce);
    }

    /// @notice The message a proof of possession signs: the EIP-2537 G2 key and the L2 owner it is registered for.
    function possessionMessage(bytes memory key, address owner) internal pure returns (bytes memory) {
        return abi.encodePacked(key, owner);
    }

    /// @notice The domain separation tag `tag | chainId<32> | rollup<20>`: one rollup, one chain, one use.
    function domainTag(bytes memory tag, uint256 chainId, address rollup) internal pure returns (bytes memory) {
        return abi.encodePacked(tag, chainId, rollup);
    }
}
