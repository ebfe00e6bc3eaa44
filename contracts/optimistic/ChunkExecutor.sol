// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOptimisticRollup} from "../interfaces/IOptimisticRollup.sol";
import {TxCodec} from "../libraries/TxCodec.sol";
import {AccountCodec} from "../libraries/AccountCodec.sol";
import {KeccakMerkle} from "../libraries/KeccakMerkle.sol";
import {BatchMerkle} from "./BatchMerkle.sol";

/// @title ChunkExecutor
/// @notice Re-executes one chunk of L2 txs on L1 against Merkle witnesses: the heart of the fraud proof.
/// @dev The state transition rules live here and in src/optimistic/state.ts, and nowhere else. A chunk is valid
///      when every tx is valid and the committed state after it is exactly what its txs produce. A wrong witness is
///      the challenger's mistake and reverts; it never counts as fraud.
abstract contract ChunkExecutor is IOptimisticRollup {
    uint256 public constant ACCOUNT_TREE_DEPTH = 32;

    /// @dev The running state while a chunk executes.
    struct Execution {
        bytes32 domain;
        bytes32 stateRoot;
        uint64 depositCursor;
        uint64 forcedCursor;
        uint64 depositEnd; // deposits the batch consumed in total: a deposit tx beyond is a fault
        uint64 forcedEnd;
        address feeRecipient;
        uint32 feeAccount;
        uint256 fees;
        uint256 accountsUsed;
        uint256 depositsUsed;
        uint256 forcedUsed;
        uint256 chunkSize;
        uint256 exitTreeDepth;
    }

    /// @dev True when deposit `index` of the L1 queue is `deposit` (the rollup checks its deposit chain).
    function _isQueuedDeposit(uint256 index, DepositWitness calldata deposit) internal view virtual returns (bool);

    /// @dev True when forced request `index` is `request` (the rollup checks its request hashes).
    function _isForcedRequest(uint256 index, ForcedWitness calldata request) internal view virtual returns (bool);

    /// @notice Executes the chunk from `run`'s state; returns the first fault (None if all txs are valid), the
    ///         position of the faulty tx, and the root of the exits the chunk produced.
    function _executeChunk(
        Execution memory run,
        FraudProof calldata proof
    ) internal view returns (Fault fault, uint256 txIndex, bytes32 exitRoot) {
        bytes32[] memory exits = new bytes32[](run.chunkSize);
        (bool hasBody, uint256 offset) = _chunkBody(proof.chunkData);
        if (!hasBody) return (Fault.Malformed, 0, bytes32(0));
        while (offset < proof.chunkData.length) {
            if (txIndex == run.chunkSize) return (Fault.TooManyTxs, txIndex, bytes32(0));
            uint256 length;
            (fault, length, exits[txIndex]) = _step(run, offset, proof);
            if (fault != Fault.None) return (fault, txIndex, bytes32(0));
            offset += length;
            ++txIndex;
        }
        if (run.fees != 0) {
            fault = _creditFees(run, proof);
            if (fault != Fault.None) return (fault, txIndex, bytes32(0));
        }
        exitRoot = BatchMerkle.rootOf(exits, run.exitTreeDepth);
    }

    /// @dev Decodes and applies the tx at `offset`: its fault, its byte length and its exit leaf (0 if none).
    function _step(
        Execution memory run,
        uint256 offset,
        FraudProof calldata proof
    ) private view returns (Fault fault, uint256 length, bytes32 exitLeaf) {
        bool ok;
        uint8 txType;
        (ok, txType, length) = TxCodec.peek(proof.chunkData, offset);
        if (!ok) {
            (ok, txType, length) = _peekVariant(proof.chunkData, offset);
            if (!ok) return (Fault.Malformed, 0, 0);
        }
        (fault, exitLeaf) = _executeTx(run, txType, proof.chunkData, offset, proof);
    }

    function _executeTx(
        Execution memory run,
        uint8 txType,
        bytes calldata data,
        uint256 offset,
        FraudProof calldata proof
    ) private view returns (Fault, bytes32 exitLeaf) {
        if (txType == TxCodec.TYPE_DEPOSIT) return (_deposit(run, TxCodec.decodeDeposit(data, offset), proof), 0);
        if (txType == TxCodec.TYPE_TRANSFER) return (_transfer(run, TxCodec.decodeTransfer(data, offset), proof), 0);
        if (txType == TxCodec.TYPE_WITHDRAW) return _withdraw(run, TxCodec.decodeWithdraw(data, offset), proof);
        if (txType == TxCodec.TYPE_REGISTER) return (_register(run, TxCodec.decodeRegister(data, offset), proof), 0);
        if (txType == TxCodec.TYPE_FORCED_EXIT) return _forcedExit(run, proof);
        return _executeVariantTx(run, txType, data, offset, proof);
    }

    // ---------------------------------------------------------------- variant hooks (BlsOptimisticRollup)

    /// @dev Where a chunk's txs start: 0 (ok) here; a variant may put a header first (false: too short for it).
    function _chunkBody(bytes calldata) internal pure virtual returns (bool ok, uint256 offset) {
        return (true, 0);
    }

    /// @dev The type and length of a tx at `offset` that TxCodec does not know (none here; a variant adds its own).
    ///      gas: asked only for bytes TxCodec.peek refused, so valid ECDSA chunks never pay for the hook.
    function _peekVariant(
        bytes calldata,
        uint256
    ) internal pure virtual returns (bool ok, uint8 txType, uint256 length) {
        return (false, 0, 0);
    }

    /// @dev Executes a tx of a type only a variant's _peekVariant accepts (never reached here).
    function _executeVariantTx(
        Execution memory,
        uint8,
        bytes calldata,
        uint256,
        FraudProof calldata
    ) internal view virtual returns (Fault, bytes32) {
        return (Fault.Malformed, 0);
    }

    // ---------------------------------------------------------------- end of variant hooks

    function _register(
        Execution memory run,
        TxCodec.Register memory r,
        FraudProof calldata proof
    ) private pure returns (Fault) {
        (AccountCodec.Account memory account, bytes32[] memory siblings) = _readAccount(run, r.index, proof);
        if (account.owner != address(0) || r.owner == address(0)) return Fault.BadRegistration;
        account.owner = r.owner;
        _writeAccount(run, account, siblings);
        return Fault.None;
    }

    function _deposit(
        Execution memory run,
        TxCodec.Deposit memory d,
        FraudProof calldata proof
    ) private view returns (Fault) {
        if (run.depositCursor >= run.depositEnd) return Fault.DepositOutOfRange;
        if (run.depositsUsed >= proof.deposits.length) revert MissingWitness("deposit", run.depositsUsed);
        DepositWitness calldata queued = proof.deposits[run.depositsUsed++];
        if (!_isQueuedDeposit(run.depositCursor, queued)) revert InvalidDepositWitness(run.depositCursor);
        ++run.depositCursor;
        address owner = address(uint160(uint256(queued.recipient)));
        return _credit(run, d.to, owner, queued.amount, proof) ? Fault.None : Fault.DepositToForeignAccount;
    }

    function _transfer(
        Execution memory run,
        TxCodec.Transfer memory t,
        FraudProof calldata proof
    ) private pure returns (Fault) {
        (AccountCodec.Account memory sender, bytes32[] memory siblings) = _readAccount(run, t.from, proof);
        Fault fault = _checkSpend(
            sender,
            t.nonce,
            t.amount + t.fee,
            TxCodec.transferDigest(run.domain, t),
            t.signature
        );
        if (fault != Fault.None) return fault;
        // INVARIANT: a sender pays amount + fee from a balance that covers it, once per nonce.
        sender.balance -= uint128(t.amount + t.fee);
        ++sender.nonce;
        _writeAccount(run, sender, siblings);
        run.fees += t.fee;
        (AccountCodec.Account memory recipient, bytes32[] memory path) = _readAccount(run, t.to, proof);
        if (recipient.owner == address(0)) return Fault.UnknownRecipient;
        recipient.balance += uint128(t.amount);
        _writeAccount(run, recipient, path);
        return Fault.None;
    }

    function _withdraw(
        Execution memory run,
        TxCodec.Withdraw memory w,
        FraudProof calldata proof
    ) private pure returns (Fault, bytes32) {
        (AccountCodec.Account memory sender, bytes32[] memory siblings) = _readAccount(run, w.from, proof);
        Fault fault = _checkSpend(
            sender,
            w.nonce,
            w.amount + w.fee,
            TxCodec.withdrawDigest(run.domain, w),
            w.signature
        );
        if (fault != Fault.None) return (fault, 0);
        sender.balance -= uint128(w.amount + w.fee);
        ++sender.nonce;
        _writeAccount(run, sender, siblings);
        run.fees += w.fee;
        return (Fault.None, keccak256(abi.encodePacked(w.recipient, w.amount)));
    }

    /// @dev A forced exit that cannot be honoured (no account, another key's request, not enough balance) is a
    ///      valid no-op: otherwise anyone could freeze the rollup with a request the operator cannot include.
    function _forcedExit(Execution memory run, FraudProof calldata proof) private view returns (Fault, bytes32) {
        if (run.forcedCursor >= run.forcedEnd) return (Fault.ForcedOutOfRange, 0);
        if (run.forcedUsed >= proof.forced.length) revert MissingWitness("forced", run.forcedUsed);
        ForcedWitness calldata request = proof.forced[run.forcedUsed++];
        if (!_isForcedRequest(run.forcedCursor, request)) revert InvalidForcedWitness(run.forcedCursor);
        ++run.forcedCursor;
        (AccountCodec.Account memory account, bytes32[] memory siblings) = _readAccount(run, request.account, proof);
        if (account.owner == address(0) || account.owner != request.signer || account.balance < request.amount) {
            return (Fault.None, 0);
        }
        account.balance -= uint128(request.amount);
        _writeAccount(run, account, siblings);
        return (Fault.None, keccak256(abi.encodePacked(request.recipient, request.amount)));
    }

    function _creditFees(Execution memory run, FraudProof calldata proof) private pure returns (Fault) {
        bool ok = _credit(run, run.feeAccount, run.feeRecipient, run.fees, proof);
        return ok ? Fault.None : Fault.FeeToForeignAccount;
    }

    /// @dev Credits `amount` to account `index`, creating it for `owner` if it does not exist. False when the
    ///      account exists and belongs to another key.
    function _credit(
        Execution memory run,
        uint32 index,
        address owner,
        uint256 amount,
        FraudProof calldata proof
    ) private pure returns (bool) {
        (AccountCodec.Account memory account, bytes32[] memory siblings) = _readAccount(run, index, proof);
        if (account.owner == address(0)) account.owner = owner;
        else if (account.owner != owner) return false;
        account.balance += uint128(amount);
        _writeAccount(run, account, siblings);
        return true;
    }

    function _checkSpend(
        AccountCodec.Account memory sender,
        uint32 nonce,
        uint256 debit,
        bytes32 digest,
        TxCodec.Signature memory signature
    ) private pure returns (Fault) {
        if (sender.owner == address(0)) return Fault.UnknownSender;
        if (TxCodec.recover(digest, signature) != sender.owner) return Fault.BadSignature;
        if (nonce != sender.nonce || nonce == type(uint32).max) return Fault.BadNonce;
        if (debit > sender.balance) return Fault.Overdraft;
        return Fault.None;
    }

    /// @dev Takes the next account witness and checks it against the current root.
    function _readAccount(
        Execution memory run,
        uint32 index,
        FraudProof calldata proof
    ) internal pure returns (AccountCodec.Account memory account, bytes32[] memory siblings) {
        if (run.accountsUsed >= proof.accounts.length) revert MissingWitness("account", run.accountsUsed);
        AccountWitness calldata w = proof.accounts[run.accountsUsed++];
        account = AccountCodec.Account(index, w.owner, w.balance, w.nonce);
        siblings = w.siblings;
        bool emptyShape = w.owner != address(0) || (w.balance == 0 && w.nonce == 0);
        if (
            !emptyShape ||
            siblings.length != ACCOUNT_TREE_DEPTH ||
            !KeccakMerkle.verify(run.stateRoot, AccountCodec.hash(account), index, siblings)
        ) revert InvalidAccountWitness(index, run.stateRoot);
    }

    function _writeAccount(
        Execution memory run,
        AccountCodec.Account memory account,
        bytes32[] memory siblings
    ) internal pure {
        run.stateRoot = KeccakMerkle.computeRoot(AccountCodec.hash(account), account.index, siblings);
    }
}
