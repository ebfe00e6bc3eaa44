// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Forwarder
/// @notice A hostile helper for attack tests: makes one call from whatever account runs this code. An EOA delegated
///         to it by EIP-7702 calls a contract as itself, so msg.sender is the EOA while the transaction's input is
///         this forward() call, not the call the contract sees.
contract Forwarder {
    /// @notice The forwarded call succeeded.
    event Forwarded(address indexed target, bytes4 selector);

    /// @notice The forwarded call reverted with `reason`.
    error ForwardFailed(address target, bytes reason);

    /// @notice Calls `target` with `data` and `msg.value`; bubbles up a revert as ForwardFailed.
    function forward(address target, bytes calldata data) external payable {
        (bool ok, bytes memory reason) = target.call{value: msg.value}(data);
        if (!ok) revert ForwardFailed(target, reason);
        emit Forwarded(target, bytes4(data));
    }
}
