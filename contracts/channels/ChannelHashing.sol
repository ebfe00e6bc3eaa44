// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";

/**
 * @title ChannelHashing
 * @notice EIP-712 hashes of what channel parties sign, and ECDSA recovery of their signatures.
 * @dev Mirrored by src/channels/state.ts; contracts/test/ChannelCodecHarness.sol exposes this library so the
 *      tests can check both sides give the same hashes. The domain binds chain id and contract address, and
 *      every struct binds the channel id: a signature is good for one channel, one contract, one chain.
 */
library ChannelHashing {
    // The type strings are hashed at compile time: their length costs nothing at run time.
    // solhint-disable gas-small-strings
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant NAME_HASH = keccak256("l2lab PaymentChannels");
    bytes32 internal constant VERSION_HASH = keccak256("1");

    bytes32 internal constant STATE_TYPEHASH = keccak256(
        "ChannelState(uint256 channelId,uint64 nonce,uint256 depositA,uint256 depositB,uint256 balanceA,uint256 balanceB,bytes32 locksRoot)"
    );
    /// @dev "Every state of mine with a nonce up to `nonce` is revoked": the proof a penalty needs.
    bytes32 internal constant REVOCATION_TYPEHASH = keccak256("Revocation(uint256 channelId,uint64 nonce)");
    /// @dev A distinct type, so that no ordinary (possibly stale) state can ever be paid out without a dispute period.
    bytes32 internal constant COOPERATIVE_CLOSE_TYPEHASH = keccak256(
        "CooperativeClose(uint256 channelId,uint256 balanceA,uint256 balanceB)"
    );

    // solhint-enable gas-small-strings

    /// @dev secp256k1 order / 2: a larger `s` is the malleable twin of a valid signature (EIP-2).
    uint256 internal constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chainId, verifyingContract));
    }

    function hashParties(IPaymentChannels.Parties calldata parties) internal pure returns (bytes32) {
        return keccak256(abi.encode(parties.accountA, parties.accountB, parties.signerA, parties.signerB));
    }

    function hashState(IPaymentChannels.ChannelState calldata state) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    STATE_TYPEHASH,
                    state.channelId,
                    state.nonce,
                    state.depositA,
                    state.depositB,
                    state.balanceA,
                    state.balanceB,
                    state.locksRoot
                )
            );
    }

    function hashRevocation(uint256 channelId, uint64 nonce) internal pure returns (bytes32) {
        return keccak256(abi.encode(REVOCATION_TYPEHASH, channelId, nonce));
    }

    function hashCooperativeClose(
        uint256 channelId,
        uint256 balanceA,
        uint256 balanceB
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(COOPERATIVE_CLOSE_TYPEHASH, channelId, balanceA, balanceB));
    }

    function digest(bytes32 domain, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /**
     * @notice The address that signed `hash`, or address(0) for a malformed or malleable signature.
     * @dev Signature layout: [r<32>|s<32>|v<1>], v = 27 or 28, as ethers' Signature.serialized.
     */
    function recover(bytes32 hash, bytes calldata signature) internal pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) return address(0);
        return ecrecover(hash, v, r, s);
    }
}
