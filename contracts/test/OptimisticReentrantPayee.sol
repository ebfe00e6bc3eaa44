// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOptimisticRollup} from "../interfaces/IOptimisticRollup.sol";

interface IClaimable {
    function claimExit(IOptimisticRollup.ExitClaim calldata claim) external;
}

/// @title OptimisticReentrantPayee
/// @notice A hostile exit recipient for tests: when paid it either re-enters claimExit with the same claim
///         (swallowing the failure, so only a double payment would show) or refuses the ETH outright.
contract OptimisticReentrantPayee {
    enum Mode {
        Reenter,
        Refuse
    }

    /// @notice A payment arrived, and whether the nested claim succeeded.
    event Received(uint256 amount, bool nestedClaimSucceeded);

    error Refused(uint256 amount);

    Mode public mode;
    address public rollup;
    bytes public storedClaim;
    uint256 public received;

    /// @notice Sets what to do when paid and which claim to replay.
    function arm(Mode newMode, address target, IOptimisticRollup.ExitClaim calldata claim) external {
        mode = newMode;
        rollup = target;
        storedClaim = abi.encodeCall(IClaimable.claimExit, (claim));
    }

    receive() external payable {
        if (mode == Mode.Refuse) revert Refused(msg.value);
        received += msg.value;
        (bool ok, ) = rollup.call(storedClaim);
        emit Received(msg.value, ok);
    }
}
