// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IPaymentChannels
 * @notice Structs, events and errors of the payment channel contract: one contract holds every channel.
 * @dev Off-chain states are EIP-712 typed data co-signed by both parties (see ChannelHashing.sol and
 *      src/channels/state.ts). L1 only sees opens, top-ups and closes: every payment in between stays off it.
 */
interface IPaymentChannels {
    /**
     * @notice Who is in a channel: the L1 accounts that deposit and receive payouts, and the keys that sign states.
     * @dev The contract stores only keccak256(abi.encode(parties)); every call passes them again (calldata is
     *      cheaper than three more storage slots per channel).
     */
    struct Parties {
        address accountA;
        address accountB;
        address signerA;
        address signerB;
    }

    /**
     * @notice One off-chain state of a channel, co-signed by both signers.
     * @dev `depositA`/`depositB` are the deposits the state was built on: a top-up the state does not know of
     *      is paid back to its depositor at settle. ETH in pending locks is what the balances leave out:
     *      depositA + depositB - balanceA - balanceB, committed to by `locksRoot` (LockTree.sol).
     */
    struct ChannelState {
        uint256 channelId;
        uint64 nonce;
        uint256 depositA;
        uint256 depositB;
        uint256 balanceA;
        uint256 balanceB;
        bytes32 locksRoot;
    }

    /**
     * @notice A hash- and time-locked transfer pending in a state.
     * @dev Leaf layout (LockTree.hashLock): [sender<1>|amount<12>|expiry<5>|hashlock<32>], sender 0 = A, 1 = B.
     */
    struct Lock {
        uint8 sender;
        uint96 amount;
        uint40 expiry;
        bytes32 hashlock;
    }

    /**
     * @notice The closer's word that every one of their states up to `nonce` is replaced by a newer one.
     * @dev A party revokes state n only once it holds state n+1 signed by both (Lightning's revocation), so an
     *      honest closer is never penalised. An empty `signature` means "no revocation": a dispute then only
     *      replaces the closing state with the newer one.
     */
    struct Revocation {
        uint64 nonce;
        bytes signature;
    }

    /// @notice Where a channel is in its life. A settled channel with no pending locks is deleted (None).
    enum Status {
        None,
        Open,
        Closing,
        Unlocking
    }

    event ChannelOpened(
        uint256 indexed channelId,
        address indexed accountA,
        address indexed accountB,
        address signerA,
        address signerB,
        uint256 depositA
    );
    event ChannelDeposited(uint256 indexed channelId, address indexed account, uint256 amount, uint256 newDeposit);
    event ChannelCooperativelyClosed(uint256 indexed channelId, uint256 payoutA, uint256 payoutB);
    /// @dev Carries the whole closing state, so anyone (the other side, a watchtower, a settler) can rebuild it.
    event ChannelClosed(
        uint256 indexed channelId,
        address indexed closer,
        uint64 nonce,
        uint256 settleAt,
        ChannelState state
    );
    event ChannelUpdated(uint256 indexed channelId, address indexed by, uint64 nonce, ChannelState state);
    event ChannelPenalized(
        uint256 indexed channelId,
        address indexed cheater,
        address indexed beneficiary,
        uint64 staleNonce,
        uint64 revokedUpTo,
        uint256 amount
    );
    event ChannelSettled(uint256 indexed channelId, uint256 payoutA, uint256 payoutB, uint256 locked);
    event SecretRevealed(bytes32 indexed hashlock, bytes32 preimage);
    /// @notice A preimage shown on L1 to redeem a lock (redeemLock, settleWithLocks), for routers upstream to learn.
    event PreimageRevealed(bytes32 indexed hashlock, bytes32 preimage);
    event LockRedeemed(uint256 indexed channelId, bytes32 indexed hashlock, address indexed to, uint256 amount);
    event LockRefunded(uint256 indexed channelId, bytes32 indexed hashlock, address indexed to, uint256 amount);
    event ChannelUnlocked(uint256 indexed channelId);
    event LockedRemainderSplit(uint256 indexed channelId, uint256 amount);
    event PayoutDeferred(address indexed account, uint256 amount);
    event DeferredPayoutWithdrawn(address indexed account, uint256 amount);

    error InvalidDisputePeriod(uint256 disputePeriod);
    error InvalidParties(address accountA, address accountB, address signerA, address signerB);
    error WrongParties(uint256 channelId, bytes32 expected, bytes32 given);
    error NotAParty(uint256 channelId, address caller);
    /// @dev `total`: what the channel would hold (both deposits), which must fit in uint96.
    error DepositTooLarge(uint256 channelId, uint256 total);
    error WrongStatus(uint256 channelId, Status expected, Status actual);
    error StateForOtherChannel(uint256 channelId, uint256 stateChannelId);
    error InvalidSignature(uint256 channelId, address expectedSigner, address recoveredSigner);
    error BalancesDoNotAddUp(uint256 channelId, uint256 balances, uint256 deposits);
    error UnknownDeposits(
        uint256 channelId,
        uint256 stateDepositA,
        uint256 stateDepositB,
        uint256 depositA,
        uint256 depositB
    );
    error LocksWithoutRoot(uint256 channelId, uint256 locked);
    error FundingStateMismatch(uint256 channelId);
    error StateNotNewer(uint256 channelId, uint64 closingNonce, uint64 givenNonce);
    error ClosingStateMismatch(uint256 channelId, bytes32 expected, bytes32 given);
    error DisputePeriodOver(uint256 channelId, uint256 settleAt, uint256 now_);
    error DisputePeriodNotOver(uint256 channelId, uint256 settleAt, uint256 now_);
    error RevocationTooOld(uint256 channelId, uint64 revokedUpTo, uint64 closingNonce);
    error PendingLocksAtCooperativeClose(uint256 channelId, bytes32 locksRoot);
    error LockNotInRoot(uint256 channelId, bytes32 leaf, bytes32 locksRoot);
    error WrongPreimage(bytes32 hashlock, bytes32 hashOfPreimage);
    error LockExpired(uint256 channelId, bytes32 hashlock, uint256 expiry, uint256 now_);
    error LockNotExpired(uint256 channelId, bytes32 hashlock, uint256 expiry, uint256 now_);
    error LockRedeemable(uint256 channelId, bytes32 hashlock, uint256 revealedAt);
    error LockListMismatch(uint256 channelId, uint256 locks, uint256 preimages);
    error LockSetMismatch(uint256 channelId, bytes32 locksRoot, bytes32 givenRoot);
    error LocksDoNotAddUp(uint256 channelId, uint256 sum, uint256 locked);
    error LockExceedsLocked(uint256 channelId, uint256 amount, uint256 locked);
    error SecretAlreadyRevealed(bytes32 hashlock, uint256 revealedAt);
    /// @notice bytes32(0) means "no preimage" to this contract, so it can never be revealed.
    error ZeroPreimage();
    error NothingToWithdraw(address account);
    error TransferFailed(address to, uint256 amount);
}
