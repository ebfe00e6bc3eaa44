// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ZkBatchForwarder
/// @notice A hostile operator for tests: a contract its owner calls, which makes any call it is given. Deployed
///         as the rollup's operator, it posts batches whose data is not the transaction's own input, which a
///         node reading top-level calldata cannot see.
contract ZkBatchForwarder {
    /// @notice Only the deployer may forward.
    error NotOwner(address caller);
    /// @notice The forwarded call reverted; its revert data is passed on.
    error ForwardFailed(bytes reason);

    /// @notice A call was forwarded.
    event Forwarded(address indexed target, uint256 dataLength);

    address private immutable _owner;

    constructor() {
        _owner = msg.sender;
    }

    /// @notice Calls `target` with `data` from this contract.
    function forward(address target, bytes calldata data) external {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        emit Forwarded(target, data.length);
        (bool ok, bytes memory reason) = target.call(data);
        if (!ok) revert ForwardFailed(reason);
    }
}
