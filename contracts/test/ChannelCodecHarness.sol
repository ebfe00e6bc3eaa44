// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {ChannelHashing} from "../channels/ChannelHashing.sol";
import {LockTree} from "../channels/LockTree.sol";

/**
 * @title ChannelCodecHarness
 * @notice Exposes the channel hashing and lock tree libraries so tests can compare them with src/channels.
 * @dev Test-only: never deployed by scripts/deploy-channels.ts.
 */
contract ChannelCodecHarness {
    /// @notice ChannelHashing.domainSeparator for this chain and `verifyingContract`.
    function domainSeparator(address verifyingContract) external view returns (bytes32) {
        return ChannelHashing.domainSeparator(block.chainid, verifyingContract);
    }

    /// @notice ChannelHashing.hashParties.
    function hashParties(IPaymentChannels.Parties calldata parties) external pure returns (bytes32) {
        return ChannelHashing.hashParties(parties);
    }

    /// @notice ChannelHashing.hashState (the EIP-712 struct hash).
    function hashState(IPaymentChannels.ChannelState calldata state) external pure returns (bytes32) {
        return ChannelHashing.hashState(state);
    }

    /// @notice The EIP-712 digest of `state` under `verifyingContract`'s domain on this chain.
    function stateDigest(
        address verifyingContract,
        IPaymentChannels.ChannelState calldata state
    ) external view returns (bytes32) {
        return
            ChannelHashing.digest(
                ChannelHashing.domainSeparator(block.chainid, verifyingContract),
                ChannelHashing.hashState(state)
            );
    }

    /// @notice ChannelHashing.hashRevocation.
    function hashRevocation(uint256 channelId, uint64 nonce) external pure returns (bytes32) {
        return ChannelHashing.hashRevocation(channelId, nonce);
    }

    /// @notice ChannelHashing.hashCooperativeClose.
    function hashCooperativeClose(
        uint256 channelId,
        uint256 balanceA,
        uint256 balanceB
    ) external pure returns (bytes32) {
        return ChannelHashing.hashCooperativeClose(channelId, balanceA, balanceB);
    }

    /// @notice ChannelHashing.recover.
    function recover(bytes32 hash, bytes calldata signature) external pure returns (address) {
        return ChannelHashing.recover(hash, signature);
    }

    /// @notice LockTree.hashLock.
    function hashLock(IPaymentChannels.Lock calldata lock) external pure returns (bytes32) {
        return LockTree.hashLock(lock);
    }

    /// @notice LockTree.root.
    /// @dev `leaves` stays in memory: LockTree.root builds each level in place.
    // solhint-disable-next-line gas-calldata-parameters
    function lockRoot(bytes32[] memory leaves) external pure returns (bytes32) {
        return LockTree.root(leaves);
    }

    /// @notice LockTree.rootWithout.
    function rootWithout(bytes32[] calldata proof) external pure returns (bytes32) {
        return LockTree.rootWithout(proof);
    }

    /// @notice LockTree.rootFrom.
    function rootFrom(bytes32 leaf, bytes32[] calldata proof) external pure returns (bytes32) {
        return LockTree.rootFrom(leaf, proof);
    }
}
