// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DepositQueue
/// @notice The L1 queue of deposits a rollup owes its L2 state, inherited by both rollups.
/// @dev Deposits are recorded as a keccak hash chain, so a batch can name the deposits it consumed by two chain
///      hashes (before and after) and a circuit or a fraud proof can check them against the list it applied:
///        chain[0] = bytes32(0) (no deposits)
///        chain[n] = keccak256(abi.encodePacked(chain[n-1], sender, recipient, amount))
///                   // [prev<32>|sender<20>|recipient<32>|amount<32>], 116 bytes
///      `recipient` is the L2 account as 32 bytes (an address left-padded, or a key hash: the rollup decides).
///      Deposits [0, depositsConsumed()) are in the L2 state; the rest wait for a batch. A rollup that freezes can
///      refund waiting deposits on L1; a refunded deposit can never be consumed afterwards.
///      Mirrored in src/encoding/deposit.ts (hashDeposit, DepositChain, readDeposits).
abstract contract DepositQueue {
    /// @notice A deposit joined the queue at position `index`; `chainHash` is the chain after it.
    event DepositQueued(
        uint256 indexed index,
        address indexed sender,
        bytes32 indexed recipient,
        uint256 amount,
        bytes32 chainHash
    );
    /// @notice Deposits [fromIndex, toIndex) entered the L2 state; `chainHash` is the chain after toIndex deposits.
    event DepositsConsumed(uint256 indexed fromIndex, uint256 indexed toIndex, bytes32 chainHash);
    /// @notice The consumed count went back from `fromCount` to `toCount` (their batch was rolled back).
    event DepositsRewound(uint256 indexed fromCount, uint256 indexed toCount);
    /// @notice Deposit `index` was refunded on L1 and will never be consumed.
    event DepositRefunded(uint256 indexed index);

    /// @notice A deposit of zero wei.
    error ZeroDeposit(address sender, bytes32 recipient);
    /// @notice A batch asked for more deposits than are waiting.
    error NotEnoughDeposits(uint256 requested, uint256 available);
    /// @notice A chain hash was asked for beyond the number of deposits.
    error DepositCountOutOfRange(uint256 count, uint256 depositCount);
    /// @notice A rewind tried to move the consumed count forward.
    error RewindBeyondConsumed(uint256 toIndex, uint256 consumed);
    /// @notice A refund named a deposit that is already in the L2 state.
    error DepositAlreadyConsumed(uint256 index, uint256 consumed);
    /// @notice A refund named a deposit that does not exist.
    error DepositNotFound(uint256 index, uint256 depositCount);
    /// @notice The (index, sender, recipient, amount) given do not match the deposit chain.
    error DepositMismatch(uint256 index, address sender, bytes32 recipient, uint256 amount);
    /// @notice A deposit was refunded already (refund twice, or consume after a refund).
    error DepositAlreadyRefunded(uint256 index);

    /// @dev _chain[i] is the chain hash after i + 1 deposits (chain[0] = bytes32(0) is implicit).
    bytes32[] private _chain;
    uint256 private _consumed;
    /// @dev How many deposits were ever refunded: while 0, consuming skips the per-deposit refund check.
    uint256 private _refundCount;
    mapping(uint256 index => bool) private _refunded;

    /// @notice How many deposits were ever queued.
    function depositCount() public view returns (uint256) {
        return _chain.length;
    }

    /// @notice The chain hash after the first `count` deposits; bytes32(0) for 0.
    /// @dev Reverts with DepositCountOutOfRange when count > depositCount().
    function depositChainHash(uint256 count) public view returns (bytes32) {
        if (count > _chain.length) revert DepositCountOutOfRange(count, _chain.length);
        return count == 0 ? bytes32(0) : _chain[count - 1];
    }

    /// @notice How many deposits (from the first) are in the L2 state.
    function depositsConsumed() public view returns (uint256) {
        return _consumed;
    }

    /// @notice Whether deposit `index` was refunded on L1.
    function isDepositRefunded(uint256 index) public view returns (bool) {
        return _refunded[index];
    }

    /// @dev Appends a deposit from msg.sender; the inheriting contract must already hold `amount` wei for it.
    function _queueDeposit(bytes32 recipient, uint256 amount) internal returns (uint256 index) {
        if (amount == 0) revert ZeroDeposit(msg.sender, recipient);
        index = _chain.length;
        bytes32 chainHash = keccak256(abi.encodePacked(depositChainHash(index), msg.sender, recipient, amount));
        _chain.push(chainHash);
        emit DepositQueued(index, msg.sender, recipient, amount, chainHash);
    }

    /// @dev Marks the next `count` waiting deposits as consumed by a batch: returns [fromIndex, toIndex).
    ///      Consuming 0 deposits is allowed, changes nothing and emits nothing.
    function _consumeDeposits(uint256 count) internal returns (uint256 fromIndex, uint256 toIndex) {
        fromIndex = _consumed;
        uint256 available = _chain.length - fromIndex;
        if (count > available) revert NotEnoughDeposits(count, available);
        toIndex = fromIndex + count;
        if (count == 0) return (fromIndex, toIndex);
        // INVARIANT: a deposit refunded on L1 never reaches L2, or its ETH would be paid out twice.
        if (_refundCount != 0) {
            for (uint256 i = fromIndex; i < toIndex; ++i) {
                if (_refunded[i]) revert DepositAlreadyRefunded(i);
            }
        }
        _consumed = toIndex;
        emit DepositsConsumed(fromIndex, toIndex, _chain[toIndex - 1]);
    }

    /// @dev Moves the consumed count back to `toIndex` (the batches that consumed the rest were rolled back), so
    ///      those deposits wait again for the next batch or a refund.
    function _rewindConsumed(uint256 toIndex) internal {
        uint256 consumed = _consumed;
        if (toIndex > consumed) revert RewindBeyondConsumed(toIndex, consumed);
        if (toIndex == consumed) return;
        _consumed = toIndex;
        emit DepositsRewound(consumed, toIndex);
    }

    /// @dev True when deposit `index` was (sender, recipient, amount), checked against the chain in O(1).
    function _isDeposit(uint256 index, address sender, bytes32 recipient, uint256 amount) internal view returns (bool) {
        if (index >= _chain.length) return false;
        return keccak256(abi.encodePacked(depositChainHash(index), sender, recipient, amount)) == _chain[index];
    }

    /// @dev Marks waiting deposit `index` as refunded; the caller pays it back. Reverts if it does not exist, is
    ///      consumed, or was refunded already. Prefer _refundDeposit, which also checks the deposit's contents.
    function _markRefunded(uint256 index) internal {
        if (index >= _chain.length) revert DepositNotFound(index, _chain.length);
        // INVARIANT: only deposits not in the L2 state are refunded on L1; consumed ones leave through L2 exits.
        if (index < _consumed) revert DepositAlreadyConsumed(index, _consumed);
        // INVARIANT: a deposit is refunded at most once.
        if (_refunded[index]) revert DepositAlreadyRefunded(index);
        _refunded[index] = true;
        ++_refundCount;
        emit DepositRefunded(index);
    }

    /// @dev Checks (sender, recipient, amount) against the chain and marks deposit `index` refunded. The caller then
    ///      sends `amount` to `sender` (after this call: checks, effects, interactions).
    function _refundDeposit(uint256 index, address sender, bytes32 recipient, uint256 amount) internal {
        if (index >= _chain.length) revert DepositNotFound(index, _chain.length);
        if (!_isDeposit(index, sender, recipient, amount)) revert DepositMismatch(index, sender, recipient, amount);
        _markRefunded(index);
    }
}
