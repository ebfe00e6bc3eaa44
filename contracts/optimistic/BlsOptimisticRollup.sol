// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OptimisticRollup} from "./OptimisticRollup.sol";
import {BlsKeyRegistry} from "./BlsKeyRegistry.sol";
import {AccountCodec} from "../libraries/AccountCodec.sol";
import {BlsCodec} from "../libraries/BlsCodec.sol";
import {TxCodec} from "../libraries/TxCodec.sol";

/// @title BlsOptimisticRollup
/// @notice The optimistic rollup with BLS-aggregated transfers: a chunk is [aggregate signature<96>|txs], and its
///         transfers are 12 bytes with neither signature nor nonce (BlsCodec). L1 never checks a signature when a
///         batch is posted; the aggregate is checked only by a fraud proof, as the fault BadAggregate.
/// @dev Everything else (bond, windows, exits, forced withdrawals, freeze, escape, the posting checks, commit-reveal
///      fraud proofs) is OptimisticRollup's. A fraud proof re-executes the chunk as for ECDSA (a BLS transfer is
///      checked like a transfer, but for its signature); when the chunk executes without a fault and matches its
///      commitment, one pairing check verifies
///        e(signature, -g2) * prod_i e(H(m_i), pk_i) == 1
///      with m_i the i-th BLS transfer's message at its sender's nonce (from the account witnesses the execution
///      checked) and pk_i its sender owner's registered key. See docs/optimistic.md.
contract BlsOptimisticRollup is OptimisticRollup {
    /// @notice The owners' BLS keys and the aggregate check, deployed with the rollup.
    BlsKeyRegistry public immutable BLS_KEYS;

    constructor(
        address operator,
        uint256 bondAmount,
        uint64 challengePeriod,
        uint64 forceInclusionDelay,
        uint256 chunkSize,
        uint64 depositDeadline
    ) OptimisticRollup(operator, bondAmount, challengePeriod, forceInclusionDelay, chunkSize, depositDeadline) {
        BLS_KEYS = new BlsKeyRegistry(address(this), TxCodec.domainSeparator(block.chainid, address(this)));
    }

    /// @dev A chunk opens with its aggregate signature: a shorter chunk is malformed.
    function _chunkBody(bytes calldata data) internal pure override returns (bool ok, uint256 offset) {
        return (data.length >= BlsCodec.SIGNATURE_LENGTH, BlsCodec.SIGNATURE_LENGTH);
    }

    /// @dev The 12-byte BLS transfer (TxCodec's types are peeked before this hook).
    function _peekVariant(
        bytes calldata data,
        uint256 offset
    ) internal pure override returns (bool ok, uint8 txType, uint256 length) {
        if (offset < data.length && uint8(data[offset]) == BlsCodec.TYPE_BLS_TRANSFER) {
            return (
                offset + BlsCodec.BLS_TRANSFER_LENGTH <= data.length,
                BlsCodec.TYPE_BLS_TRANSFER,
                BlsCodec.BLS_TRANSFER_LENGTH
            );
        }
        return (false, 0, 0);
    }

    /// @dev The BLS transfer, checked as a transfer but for its signature (the aggregate's, checked after).
    function _executeVariantTx(
        Execution memory run,
        uint8,
        bytes calldata data,
        uint256 offset,
        FraudProof calldata proof
    ) internal pure override returns (Fault, bytes32) {
        BlsCodec.Transfer memory t = BlsCodec.decodeTransfer(data, offset);
        (AccountCodec.Account memory sender, bytes32[] memory siblings) = _readAccount(run, t.from, proof);
        if (sender.owner == address(0)) return (Fault.UnknownSender, 0);
        if (sender.nonce == type(uint32).max) return (Fault.BadNonce, 0);
        if (t.amount + t.fee > sender.balance) return (Fault.Overdraft, 0);
        // INVARIANT: a sender pays amount + fee from a balance that covers it, at its current nonce, which the
        // aggregate signature must cover.
        sender.balance -= uint128(t.amount + t.fee);
        ++sender.nonce;
        _writeAccount(run, sender, siblings);
        run.fees += t.fee;
        (AccountCodec.Account memory recipient, bytes32[] memory path) = _readAccount(run, t.to, proof);
        if (recipient.owner == address(0)) return (Fault.UnknownRecipient, 0);
        recipient.balance += uint128(t.amount);
        _writeAccount(run, recipient, path);
        return (Fault.None, 0);
    }

    /// @dev CHUNK_SIZE of the largest tx, after the signature.
    function _maxChunkLength() internal view override returns (uint256) {
        return BlsCodec.SIGNATURE_LENGTH + CHUNK_SIZE * TxCodec.WITHDRAW_LENGTH;
    }

    /// @notice The aggregate check of a chunk that executed without a fault (BlsKeyRegistry.checkChunk): BadAggregate
    ///         when the signature does not verify over the chunk's BLS transfers, is not a G1 point of the subgroup,
    ///         or a sender has no key.
    /// @dev Runs only after a fault-free execution, so each account witness holds the owner and nonce the execution
    ///      checked against the evolving state root; the registry walks the chunk and picks each BLS transfer's
    ///      sender witness from them. gas: measured in test/optimistic/bls/bad-aggregate.test.ts.
    function _checkChunkSignatures(FraudProof calldata proof) internal view override returns (Fault) {
        uint256 count = proof.accounts.length;
        address[] memory owners = new address[](count);
        uint32[] memory nonces = new uint32[](count);
        for (uint256 i = 0; i < count; ++i) {
            owners[i] = proof.accounts[i].owner;
            nonces[i] = proof.accounts[i].nonce;
        }
        return BLS_KEYS.checkChunk(proof.chunkData, owners, nonces) ? Fault.None : Fault.BadAggregate;
    }
}
