// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPaymentChannels} from "../interfaces/IPaymentChannels.sol";
import {ChannelHashing} from "./ChannelHashing.sol";
import {LockTree} from "./LockTree.sol";

/**
 * @title PaymentChannels
 * @notice Lightning-style two-party payment channels, all held by this one contract: open and top up with ETH,
 *         pay off-chain with co-signed states, close cooperatively (paid at once) or alone (after a dispute
 *         period), punish a close on a revoked state, and settle pending hash-time-locked transfers on L1.
 * @dev Storage is two slots per open channel: the hash of its parties and a packed slot of deposits and status.
 *      A close adds one slot: the hash of the closing state, not the state (the state travels in calldata and
 *      in the ChannelClosed event). See docs/channels.md.
 */
contract PaymentChannels is IPaymentChannels {
    // The layout is deliberate (two slots while open, the third and fourth only while closing or unlocking), see the
    // slot comments.
    // solhint-disable-next-line gas-struct-packing
    struct Channel {
        // slot 0
        bytes32 partiesHash;
        // slot 1: [depositA<12>|depositB<12>|settleAt<5>|status<1>|closer<1>]
        // While Unlocking the deposits are paid out, and depositA holds the ETH still in pending locks
        // (gas: one slot fewer than a separate field; see _lockedOf).
        uint96 depositA;
        uint96 depositB;
        uint40 settleAt;
        Status status;
        uint8 closer;
        // slot 2: the hash of the closing state while Closing; the locks root while Unlocking
        bytes32 closing;
        // slot 3, only while Closing: the nonce of the state the closer closed with. A dispute may replace the
        // closing state, but never this: the closer's revocation of it proves the close stale for the whole period.
        // gas: a fresh slot (about 20,000 at close, mostly refunded at settle), the price of an undodgeable penalty.
        uint64 closedNonce;
    }

    uint8 internal constant SIDE_A = 0;
    uint8 internal constant SIDE_B = 1;
    /// @dev A payout to a contract that needs more gas than this is kept for it to withdraw (a receiver cannot block a settle).
    uint256 internal constant PAYOUT_GAS = 50_000;

    /// @notice Seconds the other side (or its watchtower) has to answer a unilateral close.
    uint256 public immutable DISPUTE_PERIOD;
    uint256 internal immutable CACHED_CHAIN_ID;
    bytes32 internal immutable CACHED_DOMAIN;

    /// @notice Number of channels ever opened; channel ids run from 1 to this.
    uint256 public channelCount;
    mapping(uint256 channelId => Channel) internal _channels;
    /// @notice When each preimage was first shown on L1 (a lock counts as redeemed in time if shown by its expiry).
    mapping(bytes32 hashlock => uint256 revealedAt) public secretRevealedAt;
    /// @notice Payouts a receiving contract did not accept, kept for it to withdraw.
    mapping(address account => uint256 amount) public deferredPayouts;

    /// @param disputePeriod seconds between a unilateral close and its settle (src/channels/params.ts has the default)
    constructor(uint256 disputePeriod) {
        if (disputePeriod == 0 || disputePeriod > type(uint32).max) revert InvalidDisputePeriod(disputePeriod);
        DISPUTE_PERIOD = disputePeriod;
        CACHED_CHAIN_ID = block.chainid;
        CACHED_DOMAIN = ChannelHashing.domainSeparator(block.chainid, address(this));
    }

    // ------------------------------------------------------------------ open and fund

    /**
     * @notice Opens a channel between `parties.accountA` (the sender, depositing msg.value) and `parties.accountB`.
     * @dev B funds its side with `deposit`. gas: 77,904 with a deposit (95,004 for the very first channel; Raiden 146,956).
     */
    function open(Parties calldata parties) external payable returns (uint256 channelId) {
        if (
            msg.sender != parties.accountA ||
            parties.accountB == address(0) ||
            parties.accountA == parties.accountB ||
            parties.signerA == address(0) ||
            parties.signerB == address(0) ||
            parties.signerA == parties.signerB
        ) revert InvalidParties(parties.accountA, parties.accountB, parties.signerA, parties.signerB);
        if (msg.value > type(uint96).max) revert DepositTooLarge(0, msg.value);
        channelId = ++channelCount;
        Channel storage ch = _channels[channelId];
        ch.partiesHash = ChannelHashing.hashParties(parties);
        ch.depositA = uint96(msg.value);
        ch.status = Status.Open;
        emit ChannelOpened(channelId, parties.accountA, parties.accountB, parties.signerA, parties.signerB, msg.value);
    }

    /**
     * @notice Adds msg.value to the sender's side of an open channel (the first deposit of B, or a top-up).
     * @dev States signed before the top-up name the old deposit; the difference is paid back to its depositor at
     *      settle, so a top-up is never at the mercy of the other side's signature. Both deposits together stay
     *      within uint96 (DepositTooLarge gives the total).
     */
    function deposit(uint256 channelId, Parties calldata parties) external payable {
        Channel storage ch = _load(channelId, parties, Status.Open);
        (uint256 depositA, uint256 depositB) = (ch.depositA, ch.depositB);
        if (msg.sender == parties.accountA) depositA += msg.value;
        else if (msg.sender == parties.accountB) depositB += msg.value;
        else revert NotAParty(channelId, msg.sender);
        // INVARIANT: the whole channel fits in uint96 (not just each side), so the ETH a settled channel leaves in
        // locks, at most all of it, fits the 96-bit field that keeps it while Unlocking: no lock is cut short.
        if (depositA + depositB > type(uint96).max) revert DepositTooLarge(channelId, depositA + depositB);
        (ch.depositA, ch.depositB) = (uint96(depositA), uint96(depositB));
        uint256 newDeposit = msg.sender == parties.accountA ? depositA : depositB;
        emit ChannelDeposited(channelId, msg.sender, msg.value, newDeposit);
    }

    // ------------------------------------------------------------------ close

    /**
     * @notice Closes an open channel at once with final balances both signers agreed to close on.
     * @dev The signed type is CooperativeClose, never an ordinary state: otherwise a stale co-signed state could
     *      be paid out without a dispute period. gas: 56,270 (Raiden's cooperative settle 112,270).
     */
    function cooperativeClose(
        uint256 channelId,
        Parties calldata parties,
        uint256 balanceA,
        uint256 balanceB,
        bytes calldata signatureA,
        bytes calldata signatureB
    ) external {
        Channel storage ch = _load(channelId, parties, Status.Open);
        uint256 deposits = uint256(ch.depositA) + ch.depositB;
        // INVARIANT: a cooperative close pays out exactly the channel's deposits, no more, no less.
        if (balanceA + balanceB != deposits) revert BalancesDoNotAddUp(channelId, balanceA + balanceB, deposits);
        bytes32 hash = _digest(ChannelHashing.hashCooperativeClose(channelId, balanceA, balanceB));
        _checkSignature(channelId, hash, parties.signerA, signatureA);
        _checkSignature(channelId, hash, parties.signerB, signatureB);
        // gas: an open channel uses slots 0 and 1 only; clearing just those skips two zero-to-zero writes (about
        // 4,400) that `delete _channels[channelId]` would make.
        delete ch.partiesHash;
        (ch.depositA, ch.depositB, ch.settleAt, ch.status, ch.closer) = (0, 0, 0, Status.None, 0);
        emit ChannelCooperativelyClosed(channelId, balanceA, balanceB);
        _pay(parties.accountA, balanceA);
        _pay(parties.accountB, balanceB);
    }

    /**
     * @notice Starts a unilateral close with a state signed by both (or the unsigned funding state, nonce 0).
     * @dev The other side has DISPUTE_PERIOD seconds to answer with a newer state. gas: 96,215 (Raiden 118,501), of which
     *      about 22,300 keep the closed nonce (see the slot 3 comment).
     */
    function close(
        uint256 channelId,
        Parties calldata parties,
        ChannelState calldata state,
        bytes calldata signatureA,
        bytes calldata signatureB
    ) external {
        Channel storage ch = _load(channelId, parties, Status.Open);
        uint8 closer;
        if (msg.sender == parties.accountA) closer = SIDE_A;
        else if (msg.sender == parties.accountB) closer = SIDE_B;
        else revert NotAParty(channelId, msg.sender);
        _checkState(channelId, ch, parties, state, signatureA, signatureB);
        uint256 settleAt = block.timestamp + DISPUTE_PERIOD;
        ch.settleAt = uint40(settleAt);
        ch.status = Status.Closing;
        ch.closer = closer;
        ch.closing = ChannelHashing.hashState(state);
        ch.closedNonce = state.nonce;
        emit ChannelClosed(channelId, msg.sender, state.nonce, settleAt, state);
    }

    /**
     * @notice Answers a unilateral close: with the closer's revocation of the state it closed with, the penalty;
     *         without one, a newer state signed by both replaces the closing state. Anyone may send it (a watchtower).
     * @dev The penalty depends on the closer's revocation alone, checked against the nonce the closer closed with
     *      (kept for the whole dispute period): a revocation of nonce n is given only once state n+1 is signed by
     *      both, so it is all the proof a stale close needs. Nothing sent before it can dodge it: an update to a
     *      newer state (by the closer or anyone) changes the closing state but not the nonce the closer closed
     *      with, so `closingState` and `newerState` are not looked at in that case. The channel ends at once and
     *      the other side takes all of it (Lightning's penalty). gas: 57,034 with a penalty, 56,544 replacing the state.
     */
    function dispute(
        uint256 channelId,
        Parties calldata parties,
        ChannelState calldata closingState,
        ChannelState calldata newerState,
        bytes calldata signatureA,
        bytes calldata signatureB,
        Revocation calldata revocation
    ) external {
        Channel storage ch = _load(channelId, parties, Status.Closing);
        if (block.timestamp >= ch.settleAt) revert DisputePeriodOver(channelId, ch.settleAt, block.timestamp);
        if (revocation.signature.length != 0) {
            _penalize(channelId, parties, ch, revocation);
            return;
        }
        _checkClosingState(channelId, ch, closingState);
        if (newerState.nonce <= closingState.nonce)
            revert StateNotNewer(channelId, closingState.nonce, newerState.nonce);
        _checkState(channelId, ch, parties, newerState, signatureA, signatureB);
        ch.closing = ChannelHashing.hashState(newerState);
        emit ChannelUpdated(channelId, msg.sender, newerState.nonce, newerState);
    }

    /**
     * @notice Pays out the closing state once the dispute period is over. Anyone may send it.
     * @dev ETH in pending locks stays until each lock is redeemed or refunded (redeemLock, refundLock); when
     *      every lock can be decided now, settleWithLocks does it all in one transaction. gas: 53,118 (Raiden 108,569).
     */
    function settle(uint256 channelId, Parties calldata parties, ChannelState calldata closingState) external {
        Channel storage ch = _loadSettleable(channelId, parties, closingState);
        (uint256 payoutA, uint256 payoutB, uint256 locked) = _payouts(ch, closingState);
        if (locked == 0) {
            delete _channels[channelId];
        } else {
            ch.depositA = uint96(locked);
            ch.depositB = 0;
            ch.settleAt = 0;
            ch.status = Status.Unlocking;
            ch.closing = closingState.locksRoot;
            ch.closedNonce = 0;
        }
        emit ChannelSettled(channelId, payoutA, payoutB, locked);
        _pay(parties.accountA, payoutA);
        _pay(parties.accountB, payoutB);
    }

    /**
     * @notice Pays out the closing state and decides every pending lock at once: to its receiver if its preimage
     *         is given before the expiry (or was revealed on L1 by then), else back to its sender once expired.
     * @dev `locks` must be the whole set under the state's root, in order, so their sum is checked against the
     *      locked ETH and each side gets one transfer. `preimages[i]` is bytes32(0) for "none".
     *      gas: 61,087 with one lock (Raiden: settle 108,569 + unlock 38,619).
     */
    function settleWithLocks(
        uint256 channelId,
        Parties calldata parties,
        ChannelState calldata closingState,
        Lock[] calldata locks,
        bytes32[] calldata preimages
    ) external {
        Channel storage ch = _loadSettleable(channelId, parties, closingState);
        (uint256 payoutA, uint256 payoutB, uint256 locked) = _payouts(ch, closingState);
        if (locks.length != preimages.length) revert LockListMismatch(channelId, locks.length, preimages.length);
        _checkLockSet(channelId, closingState.locksRoot, locked, locks);
        delete _channels[channelId];
        emit ChannelSettled(channelId, payoutA, payoutB, 0);
        (uint256 locksToA, uint256 locksToB) = _decideLocks(channelId, parties, locks, preimages);
        _pay(parties.accountA, payoutA + locksToA);
        _pay(parties.accountB, payoutB + locksToB);
    }

    // ------------------------------------------------------------------ hash-time-locked transfers

    /**
     * @notice Records that `preimage` is known now: a lock with its hash counts as redeemed in time if this
     *         happened by the lock's expiry, even when the channel settles later.
     * @dev The lock receiver's protection while a close is still in its dispute period (Raiden's SecretRegistry).
     *      bytes32(0) is refused: everywhere else it means "no preimage", so a lock on keccak256(bytes32(0)) marked
     *      revealed could be neither redeemed nor refunded (nodes refuse such locks too).
     */
    function revealSecret(bytes32 preimage) external {
        // INVARIANT: no lock is ever frozen: the zero preimage can never make a lock count as revealed.
        if (preimage == bytes32(0)) revert ZeroPreimage();
        bytes32 hashlock = keccak256(abi.encodePacked(preimage));
        uint256 revealedAt = secretRevealedAt[hashlock];
        if (revealedAt != 0) revert SecretAlreadyRevealed(hashlock, revealedAt);
        secretRevealedAt[hashlock] = block.timestamp;
        emit SecretRevealed(hashlock, preimage);
    }

    /**
     * @notice Pays a pending lock of a settled channel to its receiver, who shows the preimage.
     * @dev In time means: shown now, before the expiry, or revealed on L1 by the expiry. gas: 46,603 for the
     *      last lock of a channel (Raiden's unlock 38,619, whose secret is registered in a transaction of its own);
     *      settleWithLocks decides locks in the settle transaction for far less.
     */
    function redeemLock(
        uint256 channelId,
        Parties calldata parties,
        Lock calldata lock,
        bytes32[] calldata proof,
        bytes32 preimage
    ) external {
        Channel storage ch = _load(channelId, parties, Status.Unlocking);
        if (preimage == bytes32(0)) revert WrongPreimage(lock.hashlock, keccak256(abi.encodePacked(preimage)));
        if (!_redeemable(lock, preimage)) {
            revert LockExpired(channelId, lock.hashlock, lock.expiry, block.timestamp);
        }
        address to = lock.sender == SIDE_A ? parties.accountB : parties.accountA;
        _resolveLock(channelId, parties, ch, lock, proof);
        // Published so every router upstream learns the preimage from L1 and can claim its own incoming lock.
        emit PreimageRevealed(lock.hashlock, preimage);
        emit LockRedeemed(channelId, lock.hashlock, to, lock.amount);
        _pay(to, lock.amount);
    }

    /**
     * @notice Gives a pending lock of a settled channel back to its sender once it expired unredeemed.
     * @dev Anyone may send it; the ETH only ever goes to the sender's account.
     */
    function refundLock(
        uint256 channelId,
        Parties calldata parties,
        Lock calldata lock,
        bytes32[] calldata proof
    ) external {
        Channel storage ch = _load(channelId, parties, Status.Unlocking);
        if (block.timestamp <= lock.expiry)
            revert LockNotExpired(channelId, lock.hashlock, lock.expiry, block.timestamp);
        uint256 revealedAt = secretRevealedAt[lock.hashlock];
        if (revealedAt != 0 && revealedAt <= lock.expiry) revert LockRedeemable(channelId, lock.hashlock, revealedAt);
        address to = lock.sender == SIDE_A ? parties.accountA : parties.accountB;
        _resolveLock(channelId, parties, ch, lock, proof);
        emit LockRefunded(channelId, lock.hashlock, to, lock.amount);
        _pay(to, lock.amount);
    }

    /// @notice Withdraws payouts this contract could not push to the sender (a contract that refused them).
    function withdrawDeferred() external {
        uint256 amount = deferredPayouts[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        deferredPayouts[msg.sender] = 0;
        emit DeferredPayoutWithdrawn(msg.sender, amount);
        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice Status, deposits and dispute deadline of a channel (all zero once it is fully settled).
    function channel(
        uint256 channelId
    ) external view returns (Status status, uint256 depositA, uint256 depositB, uint256 settleAt, uint256 locked) {
        Channel storage ch = _channels[channelId];
        if (ch.status == Status.Unlocking) return (ch.status, 0, 0, 0, _lockedOf(ch));
        return (ch.status, ch.depositA, ch.depositB, ch.settleAt, 0);
    }

    /// @notice The EIP-712 domain separator states are signed under.
    function domainSeparator() external view returns (bytes32) {
        return _domain();
    }

    // ------------------------------------------------------------------ internals

    function _load(
        uint256 channelId,
        Parties calldata parties,
        Status expected
    ) internal view returns (Channel storage ch) {
        ch = _channels[channelId];
        if (ch.status != expected) revert WrongStatus(channelId, expected, ch.status);
        bytes32 given = ChannelHashing.hashParties(parties);
        if (given != ch.partiesHash) revert WrongParties(channelId, ch.partiesHash, given);
    }

    /// @dev The penalty: the closer revoked the state it closed with, so the other side takes the whole channel.
    function _penalize(
        uint256 channelId,
        Parties calldata parties,
        Channel storage ch,
        Revocation calldata revocation
    ) internal {
        uint64 closedNonce = ch.closedNonce;
        if (revocation.nonce < closedNonce) revert RevocationTooOld(channelId, revocation.nonce, closedNonce);
        bool closerIsA = ch.closer == SIDE_A;
        _checkSignature(
            channelId,
            _digest(ChannelHashing.hashRevocation(channelId, revocation.nonce)),
            closerIsA ? parties.signerA : parties.signerB,
            revocation.signature
        );
        // INVARIANT: the closer signed that the state it closed with was replaced, so it published a revoked state:
        // the other side takes every wei of the channel, pending locks included, whatever replaced the closing
        // state since (closedNonce never changes while Closing).
        uint256 total = uint256(ch.depositA) + ch.depositB;
        address cheater = closerIsA ? parties.accountA : parties.accountB;
        address beneficiary = closerIsA ? parties.accountB : parties.accountA;
        delete _channels[channelId];
        emit ChannelPenalized(channelId, cheater, beneficiary, closedNonce, revocation.nonce, total);
        _pay(beneficiary, total);
    }

    /// @dev A state L1 accepts: this channel's, on known deposits, adding up, and signed by both (nonce 0 excepted).
    function _checkState(
        uint256 channelId,
        Channel storage ch,
        Parties calldata parties,
        ChannelState calldata state,
        bytes calldata signatureA,
        bytes calldata signatureB
    ) internal view {
        if (state.channelId != channelId) revert StateForOtherChannel(channelId, state.channelId);
        if (state.depositA > ch.depositA || state.depositB > ch.depositB) {
            revert UnknownDeposits(channelId, state.depositA, state.depositB, ch.depositA, ch.depositB);
        }
        uint256 deposits = state.depositA + state.depositB;
        uint256 balances = state.balanceA + state.balanceB;
        // INVARIANT: a state never pays out more than its deposits; what it does not pay is locked under its root.
        if (balances > deposits) revert BalancesDoNotAddUp(channelId, balances, deposits);
        if (balances < deposits && state.locksRoot == bytes32(0))
            revert LocksWithoutRoot(channelId, deposits - balances);
        if (state.nonce == 0) {
            // The funding state: each side gets back what it put in. It needs no signature.
            if (state.balanceA != state.depositA || state.balanceB != state.depositB || state.locksRoot != bytes32(0)) {
                revert FundingStateMismatch(channelId);
            }
            return;
        }
        bytes32 hash = _digest(ChannelHashing.hashState(state));
        _checkSignature(channelId, hash, parties.signerA, signatureA);
        _checkSignature(channelId, hash, parties.signerB, signatureB);
    }

    function _loadSettleable(
        uint256 channelId,
        Parties calldata parties,
        ChannelState calldata closingState
    ) internal view returns (Channel storage ch) {
        ch = _load(channelId, parties, Status.Closing);
        if (block.timestamp < ch.settleAt) revert DisputePeriodNotOver(channelId, ch.settleAt, block.timestamp);
        _checkClosingState(channelId, ch, closingState);
    }

    /// @dev What the closing state pays each side, and what it leaves in locks.
    function _payouts(
        Channel storage ch,
        ChannelState calldata closingState
    ) internal view returns (uint256 payoutA, uint256 payoutB, uint256 locked) {
        // _checkState proved at close or dispute: state deposits <= channel deposits, balances <= state deposits.
        // A top-up the state does not know of goes back to its depositor.
        payoutA = closingState.balanceA + (ch.depositA - closingState.depositA);
        payoutB = closingState.balanceB + (ch.depositB - closingState.depositB);
        locked = closingState.depositA + closingState.depositB - closingState.balanceA - closingState.balanceB;
        // INVARIANT: payoutA + payoutB + locked == depositA + depositB: what the channel holds, all of it.
    }

    /// @dev `locks` must be exactly the set under `locksRoot`, and their amounts must add up to `locked`.
    function _checkLockSet(uint256 channelId, bytes32 locksRoot, uint256 locked, Lock[] calldata locks) internal pure {
        bytes32[] memory leaves = new bytes32[](locks.length);
        uint256 sum;
        for (uint256 i = 0; i < locks.length; i++) {
            leaves[i] = LockTree.hashLock(locks[i]);
            sum += locks[i].amount;
        }
        bytes32 root = LockTree.root(leaves);
        if (root != locksRoot) revert LockSetMismatch(channelId, locksRoot, root);
        // INVARIANT: the locks decided at settle pay out exactly the ETH the state left locked.
        if (sum != locked) revert LocksDoNotAddUp(channelId, sum, locked);
    }

    /// @dev Decides each lock of settleWithLocks: redeemed to its receiver or, once expired, refunded to its sender.
    function _decideLocks(
        uint256 channelId,
        Parties calldata parties,
        Lock[] calldata locks,
        bytes32[] calldata preimages
    ) internal returns (uint256 toA, uint256 toB) {
        for (uint256 i = 0; i < locks.length; i++) {
            Lock calldata lock = locks[i];
            bool toReceiver = _redeemable(lock, preimages[i]);
            if (!toReceiver && block.timestamp <= lock.expiry) {
                revert LockNotExpired(channelId, lock.hashlock, lock.expiry, block.timestamp);
            }
            bool paysA = (lock.sender == SIDE_A) != toReceiver;
            if (paysA) toA += lock.amount;
            else toB += lock.amount;
            address to = paysA ? parties.accountA : parties.accountB;
            if (preimages[i] != bytes32(0)) emit PreimageRevealed(lock.hashlock, preimages[i]);
            if (toReceiver) emit LockRedeemed(channelId, lock.hashlock, to, lock.amount);
            else emit LockRefunded(channelId, lock.hashlock, to, lock.amount);
        }
    }

    /// @dev A lock goes to its receiver when its preimage is shown before the expiry, or was revealed on L1 by then.
    function _redeemable(Lock calldata lock, bytes32 preimage) internal view returns (bool) {
        if (preimage != bytes32(0)) {
            bytes32 hashOfPreimage = keccak256(abi.encodePacked(preimage));
            if (hashOfPreimage != lock.hashlock) revert WrongPreimage(lock.hashlock, hashOfPreimage);
            if (block.timestamp <= lock.expiry) return true;
        }
        uint256 revealedAt = secretRevealedAt[lock.hashlock];
        return revealedAt != 0 && revealedAt <= lock.expiry;
    }

    /// @dev While Unlocking, slot 1's depositA field holds the ETH still in pending locks.
    function _lockedOf(Channel storage ch) internal view returns (uint256) {
        return ch.depositA;
    }

    function _checkClosingState(
        uint256 channelId,
        Channel storage ch,
        ChannelState calldata closingState
    ) internal view {
        bytes32 given = ChannelHashing.hashState(closingState);
        if (given != ch.closing) revert ClosingStateMismatch(channelId, ch.closing, given);
    }

    function _checkSignature(uint256 channelId, bytes32 hash, address signer, bytes calldata signature) internal pure {
        address recovered = ChannelHashing.recover(hash, signature);
        if (recovered != signer) revert InvalidSignature(channelId, signer, recovered);
    }

    function _resolveLock(
        uint256 channelId,
        Parties calldata parties,
        Channel storage ch,
        Lock calldata lock,
        bytes32[] calldata proof
    ) internal {
        bytes32 leaf = LockTree.hashLock(lock);
        if (LockTree.rootFrom(leaf, proof) != ch.closing) revert LockNotInRoot(channelId, leaf, ch.closing);
        uint256 locked = _lockedOf(ch);
        // INVARIANT: locks pay out at most what the settled state left locked.
        if (lock.amount > locked) revert LockExceedsLocked(channelId, lock.amount, locked);
        // INVARIANT: a decided lock leaves the tree (the new root is the tree without its leaf), so no lock pays twice.
        // gas: a root update instead of a "resolved" flag per lock saves a fresh storage slot (about 20,000) each.
        bytes32 rest = LockTree.rootWithout(proof);
        uint256 left = locked - lock.amount;
        if (rest != bytes32(0) && left != 0) {
            ch.closing = rest;
            ch.depositA = uint96(left);
            return;
        }
        delete _channels[channelId];
        emit ChannelUnlocked(channelId);
        if (left != 0) {
            // The signed lock set held less than the state left locked: neither side is owed the rest, so it is
            // split evenly rather than stranded (honest nodes never sign such a state: BalancesDoNotAddUp).
            emit LockedRemainderSplit(channelId, left);
            _pay(parties.accountA, left / 2);
            _pay(parties.accountB, left - left / 2);
        }
    }

    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return ChannelHashing.digest(_domain(), structHash);
    }

    function _domain() internal view returns (bytes32) {
        if (block.chainid == CACHED_CHAIN_ID) return CACHED_DOMAIN;
        return ChannelHashing.domainSeparator(block.chainid, address(this));
    }

    /// @dev Push the payout; a receiver that refuses it (or needs much gas) gets it as a deferred payout instead.
    function _pay(address to, uint256 amount) internal {
        if (amount == 0) return;
        (bool ok, ) = to.call{value: amount, gas: PAYOUT_GAS}("");
        if (!ok) {
            deferredPayouts[to] += amount;
            emit PayoutDeferred(to, amount);
        }
    }
}
