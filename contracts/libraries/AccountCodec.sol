// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AccountCodec
/// @notice The account leaf of the optimistic rollup's keccak state tree.
/// @dev Leaf bytes: [index<4>|owner<20>|balance<16>|nonce<4>], 44 bytes; the tree stores keccak256 of them.
///      An account that does not exist is the empty leaf bytes32(0); an existing account always has a non-zero
///      owner (the address of the L2 key that signs for it, set by the deposit that created it).
///      Mirrored in src/encoding/account.ts (encodeAccount / hashAccount).
library AccountCodec {
    struct Account {
        uint32 index;
        address owner;
        uint128 balance;
        uint32 nonce;
    }

    /// @notice The packed 44-byte leaf preimage.
    function encode(Account memory account) internal pure returns (bytes memory) {
        return abi.encodePacked(account.index, account.owner, account.balance, account.nonce);
    }

    /// @notice The tree leaf: keccak256 of the packed account, or bytes32(0) for an account that does not exist.
    function hash(Account memory account) internal pure returns (bytes32) {
        if (account.owner == address(0)) return bytes32(0);
        return keccak256(encode(account));
    }
}
