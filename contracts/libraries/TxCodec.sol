// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AmountCodec} from "./AmountCodec.sol";

/// @title TxCodec
/// @notice Packed layouts, decoders and signed digests of the optimistic rollup's L2 transactions.
/// @dev Every tx starts with its type byte. Integers are big-endian; amount<5> and fee<2> are AmountCodec floats.
///        deposit  (0x01)  [type<1>|to<4>]                                                          5 bytes
///        transfer (0x02)  [type<1>|from<4>|to<4>|amount<5>|fee<2>|nonce<4>|sig<65>]                 85 bytes
///        withdraw (0x03)  [type<1>|from<4>|recipient<20>|amount<5>|fee<2>|nonce<4>|sig<65>]        101 bytes
///        forced   (0x04)  [type<1>]                                                                 1 byte
///        register (0x05)  [type<1>|index<4>|owner<20>]                                             25 bytes
///      sig<65> = [r<32>|s<32>|v<1>], v = 27 or 28. A deposit's owner and amount come from the L1 deposit queue
///      entry it consumes; a forced exit's account, recipient and amount from the L1 forced-withdrawal queue.
///      A register tx opens an empty account for an L2 key so that it can be paid before it ever deposits.
///      Signatures are EIP-712 style over (chainId, rollup address) and cover the nonce, so a signed tx is valid
///      once, on one rollup, on one chain. Mirrored in src/encoding/tx.ts.
library TxCodec {
    uint8 internal constant TYPE_DEPOSIT = 0x01;
    uint8 internal constant TYPE_TRANSFER = 0x02;
    uint8 internal constant TYPE_WITHDRAW = 0x03;
    uint8 internal constant TYPE_FORCED_EXIT = 0x04;
    uint8 internal constant TYPE_REGISTER = 0x05;

    uint256 internal constant DEPOSIT_LENGTH = 5;
    uint256 internal constant TRANSFER_LENGTH = 85;
    uint256 internal constant WITHDRAW_LENGTH = 101;
    uint256 internal constant FORCED_EXIT_LENGTH = 1;
    uint256 internal constant REGISTER_LENGTH = 25;

    /// @dev secp256k1 order / 2: signatures with a larger s are refused (EIP-2 malleability rule).
    uint256 internal constant HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant DOMAIN_NAME_HASH = keccak256("l2lab optimistic rollup");
    bytes32 internal constant DOMAIN_VERSION_HASH = keccak256("1");
    bytes32 internal constant TRANSFER_TYPEHASH = keccak256(
        "Transfer(uint32 from,uint32 to,uint256 amount,uint256 fee,uint32 nonce)"
    );
    bytes32 internal constant WITHDRAW_TYPEHASH = keccak256(
        "Withdraw(uint32 from,address recipient,uint256 amount,uint256 fee,uint32 nonce)"
    );
    bytes32 internal constant FORCED_WITHDRAWAL_TYPEHASH = keccak256(
        "ForcedWithdrawal(uint32 account,address recipient,uint256 amount,uint256 nonce)"
    );
    bytes32 internal constant ESCAPE_TYPEHASH = keccak256("Escape(uint32 account,address recipient)");

    struct Signature {
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    struct Deposit {
        uint32 to;
    }

    struct Register {
        uint32 index;
        address owner;
    }

    struct Transfer {
        uint32 from;
        uint32 to;
        uint256 amount;
        uint256 fee;
        uint32 nonce;
        Signature signature;
    }

    struct Withdraw {
        uint32 from;
        address recipient;
        uint256 amount;
        uint256 fee;
        uint32 nonce;
        Signature signature;
    }

    /// @notice The byte length of a tx of `txType`, or 0 for a type that does not exist.
    function txLength(uint8 txType) internal pure returns (uint256) {
        if (txType == TYPE_DEPOSIT) return DEPOSIT_LENGTH;
        if (txType == TYPE_TRANSFER) return TRANSFER_LENGTH;
        if (txType == TYPE_WITHDRAW) return WITHDRAW_LENGTH;
        if (txType == TYPE_FORCED_EXIT) return FORCED_EXIT_LENGTH;
        if (txType == TYPE_REGISTER) return REGISTER_LENGTH;
        return 0;
    }

    /// @notice Reads the type and length of the tx at `offset`; ok is false when the bytes do not hold a whole tx.
    function peek(bytes calldata data, uint256 offset) internal pure returns (bool ok, uint8 txType, uint256 length) {
        if (offset >= data.length) return (false, 0, 0);
        txType = uint8(data[offset]);
        length = txLength(txType);
        ok = length != 0 && offset + length <= data.length;
    }

    /// @notice Decodes the deposit at `offset` (its type and length already checked by peek).
    function decodeDeposit(bytes calldata data, uint256 offset) internal pure returns (Deposit memory deposit) {
        deposit.to = uint32(bytes4(data[offset + 1:offset + 5]));
    }

    /// @notice Decodes the account registration at `offset` (its type and length already checked by peek).
    function decodeRegister(bytes calldata data, uint256 offset) internal pure returns (Register memory register) {
        register.index = uint32(bytes4(data[offset + 1:offset + 5]));
        register.owner = address(bytes20(data[offset + 5:offset + 25]));
    }

    /// @notice Decodes the transfer at `offset` (its type and length already checked by peek).
    function decodeTransfer(bytes calldata data, uint256 offset) internal pure returns (Transfer memory transfer) {
        transfer.from = uint32(bytes4(data[offset + 1:offset + 5]));
        transfer.to = uint32(bytes4(data[offset + 5:offset + 9]));
        transfer.amount = AmountCodec.decodeAmount(uint40(bytes5(data[offset + 9:offset + 14])));
        transfer.fee = AmountCodec.decodeFee(uint16(bytes2(data[offset + 14:offset + 16])));
        transfer.nonce = uint32(bytes4(data[offset + 16:offset + 20]));
        transfer.signature = _decodeSignature(data, offset + 20);
    }

    /// @notice Decodes the withdrawal at `offset` (its type and length already checked by peek).
    function decodeWithdraw(bytes calldata data, uint256 offset) internal pure returns (Withdraw memory withdraw) {
        withdraw.from = uint32(bytes4(data[offset + 1:offset + 5]));
        withdraw.recipient = address(bytes20(data[offset + 5:offset + 25]));
        withdraw.amount = AmountCodec.decodeAmount(uint40(bytes5(data[offset + 25:offset + 30])));
        withdraw.fee = AmountCodec.decodeFee(uint16(bytes2(data[offset + 30:offset + 32])));
        withdraw.nonce = uint32(bytes4(data[offset + 32:offset + 36]));
        withdraw.signature = _decodeSignature(data, offset + 36);
    }

    /// @notice The EIP-712 domain separator binding signatures to one chain and one rollup contract.
    function domainSeparator(uint256 chainId, address rollup) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, DOMAIN_NAME_HASH, DOMAIN_VERSION_HASH, chainId, rollup));
    }

    /// @notice The digest the sender's L2 key signs for a transfer.
    function transferDigest(bytes32 domain, Transfer memory t) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(TRANSFER_TYPEHASH, t.from, t.to, t.amount, t.fee, t.nonce));
        return _typedDigest(domain, structHash);
    }

    /// @notice The digest the sender's L2 key signs for a withdrawal.
    function withdrawDigest(bytes32 domain, Withdraw memory w) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(WITHDRAW_TYPEHASH, w.from, w.recipient, w.amount, w.fee, w.nonce));
        return _typedDigest(domain, structHash);
    }

    /// @notice The digest an account's L2 key signs to ask L1 for a forced withdrawal.
    /// @dev `nonce` counts the requests `recipient` (the L1 account that sends the request) made before: it is
    ///      nobody else's to move, so no request mined first can turn this one into someone else's.
    function forcedWithdrawalDigest(
        bytes32 domain,
        uint32 account,
        address recipient,
        uint256 amount,
        uint256 nonce
    ) internal pure returns (bytes32) {
        return
            _typedDigest(domain, keccak256(abi.encode(FORCED_WITHDRAWAL_TYPEHASH, account, recipient, amount, nonce)));
    }

    /// @notice The digest an account's L2 key signs to escape its balance from a frozen rollup to `recipient`.
    function escapeDigest(bytes32 domain, uint32 account, address recipient) internal pure returns (bytes32) {
        return _typedDigest(domain, keccak256(abi.encode(ESCAPE_TYPEHASH, account, recipient)));
    }

    /// @notice The signer of `digest`, or address(0) for a signature that is malformed or malleable.
    function recover(bytes32 digest, Signature memory sig) internal pure returns (address) {
        if (uint256(sig.s) > HALF_CURVE_ORDER || (sig.v != 27 && sig.v != 28)) return address(0);
        return ecrecover(digest, sig.v, sig.r, sig.s);
    }

    function _decodeSignature(bytes calldata data, uint256 offset) private pure returns (Signature memory sig) {
        sig.r = bytes32(data[offset:offset + 32]);
        sig.s = bytes32(data[offset + 32:offset + 64]);
        sig.v = uint8(data[offset + 64]);
    }

    function _typedDigest(bytes32 domain, bytes32 structHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", domain, structHash));
    }
}
