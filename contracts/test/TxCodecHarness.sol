// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TxCodec} from "../libraries/TxCodec.sol";
import {AmountCodec} from "../libraries/AmountCodec.sol";
import {AccountCodec} from "../libraries/AccountCodec.sol";

/// @title TxCodecHarness
/// @notice Exposes TxCodec, AmountCodec and AccountCodec to the differential tests against src/encoding.
contract TxCodecHarness {
    /// @notice AmountCodec.decodeAmount.
    function decodeAmount(uint40 packed) external pure returns (uint256) {
        return AmountCodec.decodeAmount(packed);
    }

    /// @notice AmountCodec.decodeFee.
    function decodeFee(uint16 packed) external pure returns (uint256) {
        return AmountCodec.decodeFee(packed);
    }

    /// @notice AccountCodec.hash.
    function hashAccount(AccountCodec.Account memory account) external pure returns (bytes32) {
        return AccountCodec.hash(account);
    }

    /// @notice AccountCodec.encode.
    function encodeAccount(AccountCodec.Account memory account) external pure returns (bytes memory) {
        return AccountCodec.encode(account);
    }

    /// @notice TxCodec.peek.
    function peek(bytes calldata data, uint256 offset) external pure returns (bool ok, uint8 txType, uint256 txLength) {
        return TxCodec.peek(data, offset);
    }

    /// @notice TxCodec.decodeDeposit.
    function decodeDeposit(bytes calldata data, uint256 offset) external pure returns (TxCodec.Deposit memory) {
        return TxCodec.decodeDeposit(data, offset);
    }

    /// @notice TxCodec.decodeTransfer.
    function decodeTransfer(bytes calldata data, uint256 offset) external pure returns (TxCodec.Transfer memory) {
        return TxCodec.decodeTransfer(data, offset);
    }

    /// @notice TxCodec.decodeWithdraw.
    function decodeWithdraw(bytes calldata data, uint256 offset) external pure returns (TxCodec.Withdraw memory) {
        return TxCodec.decodeWithdraw(data, offset);
    }

    /// @notice TxCodec.domainSeparator.
    function domainSeparator(uint256 chainId, address rollup) external pure returns (bytes32) {
        return TxCodec.domainSeparator(chainId, rollup);
    }

    /// @notice Recovers the signer of the transfer at `offset` of `data` under `domain`.
    function transferSigner(bytes calldata data, uint256 offset, bytes32 domain) external pure returns (address) {
        TxCodec.Transfer memory t = TxCodec.decodeTransfer(data, offset);
        return TxCodec.recover(TxCodec.transferDigest(domain, t), t.signature);
    }

    /// @notice Recovers the signer of the withdrawal at `offset` of `data` under `domain`.
    function withdrawSigner(bytes calldata data, uint256 offset, bytes32 domain) external pure returns (address) {
        TxCodec.Withdraw memory w = TxCodec.decodeWithdraw(data, offset);
        return TxCodec.recover(TxCodec.withdrawDigest(domain, w), w.signature);
    }

    /// @notice TxCodec.forcedWithdrawalDigest.
    function forcedWithdrawalDigest(
        bytes32 domain,
        uint32 account,
        address recipient,
        uint256 amount,
        uint256 nonce
    ) external pure returns (bytes32) {
        return TxCodec.forcedWithdrawalDigest(domain, account, recipient, amount, nonce);
    }

    /// @notice TxCodec.escapeDigest.
    function escapeDigest(bytes32 domain, uint32 account, address recipient) external pure returns (bytes32) {
        return TxCodec.escapeDigest(domain, account, recipient);
    }
}
