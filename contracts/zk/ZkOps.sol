// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ZkFloat} from "./ZkFloat.sol";

/// @title ZkOps
/// @notice Reads the packed ops of a zk batch, mirrored by src/zk/ops.ts and circuits/lib/operation.circom.
/// @dev One slot is 14 bytes, big-endian: [type<1>|from<3>|to<3>|amount<5>|fee<2>], amount Float40, fee Float16.
///      Types: 0 noop, 1 deposit, 2 transfer, 3 withdraw, 4 forced exit, 5 forced exit refused.
library ZkOps {
    uint256 internal constant OP_BYTES = 14;
    uint8 internal constant NOOP = 0;
    uint8 internal constant DEPOSIT = 1;
    uint8 internal constant TRANSFER = 2;
    uint8 internal constant WITHDRAW = 3;
    uint8 internal constant FORCED_EXIT = 4;
    uint8 internal constant FORCED_EXIT_REFUSED = 5;

    /// @notice One decoded slot; amount and fee in wei.
    struct Op {
        uint8 opType;
        uint32 from;
        uint32 to;
        uint256 amount;
        uint256 fee;
    }

    /// @notice Slot `slot` of `ops` (the caller checks the length first).
    function decode(bytes calldata ops, uint256 slot) internal pure returns (Op memory op) {
        uint256 offset = slot * OP_BYTES;
        // [type<1>|from<3>|to<3>|amount<5>|fee<2>] as one 112-bit number
        uint256 packed = uint112(bytes14(ops[offset:offset + OP_BYTES]));
        op.opType = uint8(packed >> 104);
        op.from = uint32((packed >> 80) & 0xffffff);
        op.to = uint32((packed >> 56) & 0xffffff);
        op.amount = ZkFloat.decode((packed >> 16) & 0xffffffffff, ZkFloat.FLOAT40_MANTISSA_BITS);
        op.fee = ZkFloat.decode(packed & 0xffff, ZkFloat.FLOAT16_MANTISSA_BITS);
    }
}
