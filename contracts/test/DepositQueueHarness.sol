// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DepositQueue} from "../libraries/DepositQueue.sol";

/// @title DepositQueueHarness
/// @notice Exposes DepositQueue's internal functions to tests, the way a rollup would use them.
contract DepositQueueHarness is DepositQueue {
    /// @notice Sending a refund to the depositor failed.
    error RefundTransferFailed(uint256 index, address sender, uint256 amount);

    /// @notice Queues msg.value wei for `recipient` on L2.
    function deposit(bytes32 recipient) external payable returns (uint256 index) {
        return _queueDeposit(recipient, msg.value);
    }

    /// @notice Consumes the next `count` waiting deposits, as a batch would.
    function consume(uint256 count) external returns (uint256 fromIndex, uint256 toIndex) {
        return _consumeDeposits(count);
    }

    /// @notice Moves the consumed count back to `toIndex`, as a rollback would.
    function rewind(uint256 toIndex) external {
        _rewindConsumed(toIndex);
    }

    /// @notice DepositQueue._isDeposit.
    function isDeposit(uint256 index, address sender, bytes32 recipient, uint256 amount) external view returns (bool) {
        return _isDeposit(index, sender, recipient, amount);
    }

    /// @notice DepositQueue._markRefunded without paying (to test the bookkeeping alone).
    function markRefunded(uint256 index) external {
        _markRefunded(index);
    }

    /// @notice Refunds waiting deposit `index` to its sender, as a frozen rollup would.
    function refund(uint256 index, address sender, bytes32 recipient, uint256 amount) external {
        _refundDeposit(index, sender, recipient, amount);
        (bool sent, ) = sender.call{value: amount}("");
        if (!sent) revert RefundTransferFailed(index, sender, amount);
    }

    /// @notice Emits a DepositQueued event without queueing anything.
    /// @dev Test-only: lets tests check that readDeposits refuses events that break the chain (a gap, a wrong hash).
    function emitForgedDepositQueued(
        uint256 index,
        address sender,
        bytes32 recipient,
        uint256 amount,
        bytes32 chainHash
    ) external {
        emit DepositQueued(index, sender, recipient, amount, chainHash);
    }
}
