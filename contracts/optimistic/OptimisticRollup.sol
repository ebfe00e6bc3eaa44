// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DepositQueue} from "../libraries/DepositQueue.sol";
import {KeccakMerkle} from "../libraries/KeccakMerkle.sol";
import {TxCodec} from "../libraries/TxCodec.sol";
import {AccountCodec} from "../libraries/AccountCodec.sol";
import {BatchMerkle} from "./BatchMerkle.sol";
import {ChunkExecutor} from "./ChunkExecutor.sol";
import {BlobChunks} from "./BlobChunks.sol";
import {IBlobPosting} from "../interfaces/IBlobPosting.sol";

/// @title OptimisticRollup
/// @notice An optimistic rollup: a bonded operator posts batches of L2 txs as calldata with one commitment per
///         chunk; anyone proves a bad batch by re-executing one chunk; exits are paid once their batch is final;
///         overdue forced withdrawals freeze the rollup and every user escapes with a Merkle proof.
/// @dev L1 stores per batch only the chunk-tree root, the final state root and a few counters. The tx bytes live
///      in calldata, or in EIP-4844 blobs (submitBlobBatch, BlobChunks); src/optimistic/watcher.ts rebuilds the
///      state from them and from events. See docs/optimistic.md.
contract OptimisticRollup is DepositQueue, ChunkExecutor, IBlobPosting {
    /// @dev Chunk commitments are leaves of a tree of this depth: at most 256 chunks per batch.
    uint256 public constant CHUNK_TREE_DEPTH = 8;
    uint256 public constant MAX_CHUNKS = 1 << CHUNK_TREE_DEPTH;
    /// @dev The largest chunk whose worst fraud proof fits in one transaction (EIP-7825: 16,777,216 gas). Measured
    ///      (test/optimistic/chunk-size.test.ts): a full chunk of transfers with fees under a wrong root costs about
    ///      9.02 M gas at 64 txs; at 128 it runs out of gas at the cap. Chunk sizes are powers of two.
    uint256 public constant MAX_CHUNK_SIZE = 64;
    /// @dev submitBlobBatch's input: the selector and 8 static words.
    uint256 private constant BLOB_BATCH_INPUT_LENGTH = 4 + 8 * 32;
    /// @dev Slashed bonds are sent here: nobody holds its key, so the ETH is gone.
    address public constant BURN_ADDRESS = address(0);

    address public immutable OPERATOR;
    uint256 public immutable BOND;
    uint64 public immutable CHALLENGE_PERIOD;
    uint64 public immutable FORCE_INCLUSION_DELAY;
    uint64 public immutable DEPOSIT_DEADLINE;
    uint256 public immutable CHUNK_SIZE;
    uint256 public immutable EXIT_TREE_DEPTH;
    bytes32 public immutable DOMAIN_SEPARATOR;
    /// @notice Lays out blob batches and records chunks opened against their blobs (contracts/optimistic/BlobChunks.sol).
    BlobChunks public immutable BLOB_CHUNKS;

    /// @notice The standing tip (the parent of the next batch) and the flags every batch reads, in one slot.
    struct Tip {
        uint48 id;
        uint32 height;
        uint64 depositEnd;
        uint48 forcedEnd;
        uint48 count; // batches ever posted, the genesis included: the next batch's id
        bool bonded;
        bool frozen;
    }
    Tip private _tip;
    /// @notice The standing chain by height: _chain[h] is keccak256(abi.encode(batch)) of the standing batch at
    ///         height h (the genesis at 0), for every h up to the tip's height. A rollback only moves the tip down;
    ///         entries above it are stale until a new batch overwrites them.
    /// @dev The whole of a batch's storage: one slot (22,100 gas, 5,000 when it overwrites a stale entry). Every
    ///      later call passes the record back (BatchSubmitted carries it) and L1 hashes it against this slot, as
    ///      Optimism's output roots are proven. A batch stands iff its height is at most the tip's and the slot
    ///      holds its hash (_requireStanding), so rollback and freeze move the tip and never loop over batches.
    mapping(uint256 height => bytes32 batchHash) private _chain;
    /// @notice The state users escape from once the rollup is frozen: the last final batch's.
    bytes32 public frozenStateRoot;

    struct ForcedRequest {
        bytes32 requestHash; // keccak256(account<4>|signer<20>|recipient<20>|amount<32>)
        uint64 requestedAt;
    }
    ForcedRequest[] internal _forcedRequests;

    mapping(bytes32 exitKey => bool) public exitClaimed;
    /// @notice How many forced withdrawals each L1 account requested: the nonce its next request is signed for.
    mapping(address sender => uint256) public forcedNonce;
    /// @notice The block in which each fraud-proof commitment was first made (0: never).
    mapping(bytes32 commitment => uint256 blockNumber) public fraudCommitments;
    /// @dev When each deposit joined the queue, by its index: a deposit unconsumed past DEPOSIT_DEADLINE lets anyone
    ///      freeze the rollup.
    uint64[] private _depositQueuedAt;
    mapping(uint32 account => bool) public escaped;
    bool private _locked;

    // gas: the modifiers call functions rather than inline their checks, which keeps this contract under EIP-170's
    // 24,576 bytes of code (about 20 gas more per call).
    modifier onlyOperator() {
        _requireOperator();
        _;
    }

    modifier notFrozen() {
        _requireNotFrozen();
        _;
    }

    /// @dev Payouts follow checks-effects-interactions; the lock also stops a payee from re-entering any payout.
    modifier nonReentrant() {
        if (_locked) revert Reentered();
        _locked = true;
        _;
        _locked = false;
    }

    constructor(
        address operator,
        uint256 bondAmount,
        uint64 challengePeriod,
        uint64 forceInclusionDelay,
        uint256 chunkSize,
        uint64 depositDeadline
    ) {
        // A configuration in which some fraud could not be proven, or nobody could ever freeze, is refused.
        if (chunkSize == 0 || chunkSize > MAX_CHUNK_SIZE || chunkSize & (chunkSize - 1) != 0) {
            revert InvalidParams("chunkSize", chunkSize);
        }
        if (bondAmount < 2) revert InvalidParams("bond", bondAmount);
        if (operator == address(0)) revert InvalidParams("operator", 0);
        if (challengePeriod == 0) revert InvalidParams("challengePeriod", 0);
        if (forceInclusionDelay == 0) revert InvalidParams("forceInclusionDelay", 0);
        if (depositDeadline == 0) revert InvalidParams("depositDeadline", 0);
        OPERATOR = operator;
        BOND = bondAmount;
        CHALLENGE_PERIOD = challengePeriod;
        FORCE_INCLUSION_DELAY = forceInclusionDelay;
        DEPOSIT_DEADLINE = depositDeadline;
        CHUNK_SIZE = chunkSize;
        uint256 depth = 0;
        while ((1 << depth) < chunkSize) ++depth;
        EXIT_TREE_DEPTH = depth;
        DOMAIN_SEPARATOR = TxCodec.domainSeparator(block.chainid, address(this));
        BLOB_CHUNKS = new BlobChunks();
        bytes32 emptyRoot = bytes32(0);
        for (uint256 i = 0; i < ACCOUNT_TREE_DEPTH; ++i) emptyRoot = keccak256(abi.encodePacked(emptyRoot, emptyRoot));
        // The genesis: batch 0 at height 0, the empty state, final from the start.
        Batch memory genesis;
        genesis.stateRoot = emptyRoot;
        _chain[0] = keccak256(abi.encode(genesis));
        _tip.count = 1;
        emit BatchSubmitted(0, 0, genesis);
    }

    // ------------------------------------------------------------------ operator

    /// @notice The operator posts its bond; it may post batches while bonded.
    /// @dev A slashed operator calls this again before its next batch.
    function bond() external payable onlyOperator notFrozen {
        if (_tip.bonded) revert AlreadyBonded(OPERATOR);
        if (msg.value != BOND) revert WrongBondAmount(msg.value, BOND);
        _tip.bonded = true;
        emit OperatorBonded(OPERATOR, msg.value);
    }

    /// @notice The operator takes its bond back once every batch it posted is final, and stops posting.
    /// @param tip the standing tip's record (BatchSubmitted)
    function unbond(Batch calldata tip) external onlyOperator notFrozen nonReentrant {
        if (!_tip.bonded) revert NotBonded(OPERATOR);
        _requireStanding(tip);
        if (tip.id != _tip.id) revert NotTheTip(tip.id, _tip.id);
        // INVARIANT: the bond stays while any batch can still be proven invalid (the tip is the newest batch).
        if (block.timestamp < tip.finalAt) revert BatchesStillPending(tip.id, tip.finalAt);
        _tip.bonded = false;
        emit OperatorUnbonded(OPERATOR, BOND);
        _pay(OPERATOR, BOND);
    }

    /// @notice Posts a batch: the tx bytes of each chunk (as calldata only) and the state committed after each.
    /// @dev L1 hashes each chunk into its leaf and stores the chunk-tree root; it does not execute anything, so the
    ///      cost is calldata plus a constant. Deposits up to the last chunk's cursor leave the queue now.
    /// @param chunks the packed txs of each chunk (TxCodec layouts, at most CHUNK_SIZE txs each)
    /// @param states the state after each chunk
    /// @param feeRecipient the L2 key that owns `feeAccount` (created on first credit)
    /// @param feeAccount the account credited with every fee of the batch
    function submitBatch(
        bytes[] calldata chunks,
        ChunkState[] calldata states,
        address feeRecipient,
        uint32 feeAccount
    ) external {
        _requirePoster();
        _requireRecoverable(chunks, states.length);
        if (chunks.length == 0 || chunks.length != states.length || chunks.length > MAX_CHUNKS) {
            revert ChunkCountOutOfRange(chunks.length, states.length, MAX_CHUNKS);
        }
        Tip memory parent = _openBatch(chunks.length, states[states.length - 1], feeRecipient);
        bytes32 chunksRoot = _chunksRoot(chunks, states, parent.depositEnd, parent.forcedEnd);
        _appendBatch(parent, chunksRoot, states.length, states[states.length - 1], feeRecipient, feeAccount, 0);
    }

    // ------------------------------------------------------------------ blob posting (EIP-4844)

    /// @notice Posts a batch whose bytes travel in this transaction's blobs (type 3), all of them: the header (each
    ///         chunk's length and the state after it) and the chunks, laid out as BlobChunks describes. The calldata is
    ///         the root of the chunk tree, the chunk count and the last state, the same 260 bytes whatever the size.
    /// @dev L1 reads the versioned hashes itself (`blobhash`) and commits the batch to them (`blobs` in its record),
    ///      so the operator names no hash. L1 cannot read the header: whether it gives `chunksRoot` and keeps the
    ///      rules submitBatch enforces is proven wrong, if it is, with proveBadBlobHeader. A fraud proof in a chunk
    ///      opens the chunk first (BLOB_CHUNKS.openChunk), then calls proveFraud. The defences of submitBatch hold:
    ///      bonded operator, sent as the transaction's own call, in the standard encoding (all arguments are static,
    ///      so the input is exactly 260 bytes, and the decoder refuses dirty bits), the last cursors against the
    ///      queues.
    /// @param chunksRoot the root of the chunk tree (leaves as BlobChunks describes)
    /// @param chunkCount the number of chunks (and header entries)
    /// @param last the state after the last chunk (its exit root is not used: the tree commits to it)
    /// @param feeRecipient the L2 key that owns `feeAccount`
    /// @param feeAccount the account credited with every fee of the batch
    function submitBlobBatch(
        bytes32 chunksRoot,
        uint16 chunkCount,
        ChunkState calldata last,
        address feeRecipient,
        uint32 feeAccount
    ) external {
        _requirePoster();
        _requireOrigin();
        if (msg.data.length != BLOB_BATCH_INPUT_LENGTH) {
            revert NonStandardCalldata(
                msg.data.length < BLOB_BATCH_INPUT_LENGTH ? msg.data.length : BLOB_BATCH_INPUT_LENGTH
            );
        }
        // INVARIANT: every chunk of a blob batch can be opened in one transaction.
        if (CHUNK_SIZE > BLOB_CHUNKS.MAX_BLOB_CHUNK_SIZE()) {
            revert ChunkSizeTooLargeForBlobs(CHUNK_SIZE, BLOB_CHUNKS.MAX_BLOB_CHUNK_SIZE());
        }
        Tip memory parent = _openBatch(chunkCount, last, feeRecipient);
        bytes32 blobs;
        assembly ("memory-safe") {
            // keccak256 of the versioned hashes, in order: blobhash(i) is 0 past the transaction's last blob.
            let scratch := mload(0x40)
            let count := 0
            for {} 1 {} {
                let hash := blobhash(count)
                if iszero(hash) {
                    break
                }
                mstore(add(scratch, mul(count, 32)), hash)
                count := add(count, 1)
            }
            if count {
                blobs := keccak256(scratch, mul(count, 32))
            }
        }
        if (blobs == bytes32(0)) revert NoBlobs();
        _appendBatch(parent, chunksRoot, chunkCount, last, feeRecipient, feeAccount, blobs);
    }

    /// @notice Proves that a pending blob batch's header is not valid (BlobChunks.headerIsValid): the batch and every
    ///         later one are rolled back and the operator slashed, as by proveFraud. Every part of the header must be
    ///         opened first (BLOB_CHUNKS.openChunk) and the proof committed to (commitFraudProof).
    /// @param batch the batch's record
    /// @param parent the record of the batch standing below it
    /// @param versionedHashes the versioned hashes of the transaction that posted it, in order
    /// @param header the header's bytes (84 per chunk)
    function proveBadBlobHeader(
        Batch calldata batch,
        Batch calldata parent,
        bytes32[] calldata versionedHashes,
        bytes calldata header
    ) external nonReentrant {
        _requirePending(batch);
        _requireParent(batch, parent);
        if (batch.blobs == bytes32(0) || keccak256(abi.encodePacked(versionedHashes)) != batch.blobs) {
            revert NotTheBatchBlobs(batch.id);
        }
        HeaderCheck memory check = HeaderCheck({
            chunksRoot: batch.chunksRoot,
            chunkCount: batch.chunkCount,
            maxLength: _maxChunkLength(),
            parentDepositEnd: parent.depositEnd,
            parentForcedEnd: parent.forcedEnd,
            stateRoot: batch.stateRoot,
            depositEnd: batch.depositEnd,
            forcedEnd: batch.forcedEnd
        });
        if (BLOB_CHUNKS.headerIsValid(versionedHashes, header, check)) revert BlobHeaderIsValid(batch.id);
        _convict(batch, parent, 0, 0, Fault.BadBlobHeader);
    }

    // ------------------------------------------------------------------ fraud proofs

    /// @notice Commits to a fraud proof before sending it: `commitment` is
    ///         keccak256(challenger<20>|keccak256(proveFraud calldata)<32>). The proof is accepted from `challenger`
    ///         from the next block on.
    /// @dev The reward goes to the challenger that committed: a copy of its proveFraud transaction, even mined first,
    ///      is the copier's proof without a commitment, and reverts. gas: 45,641 measured (one new storage slot and an
    ///      event), plus the proof's own cost; the reveal refunds part of the slot's cost when it clears it.
    function commitFraudProof(bytes32 commitment) external {
        if (fraudCommitments[commitment] == 0) fraudCommitments[commitment] = block.number;
        emit FraudProofCommitted(msg.sender, commitment);
    }

    /// @notice The commitment `challenger` makes for a proveFraud call with calldata `proveFraudCalldata`.
    function fraudCommitment(address challenger, bytes calldata proveFraudCalldata) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(challenger, keccak256(proveFraudCalldata)));
    }

    /// @notice Proves that one chunk of a pending batch is invalid: the batch and every later one are rolled back,
    ///         half the bond pays the caller and half is burnt. Against an operator whose bond is already slashed
    ///         the proof rolls back and pays nothing, so an operator proving its own batches gains at most half of
    ///         one bond (the bond it posted) and never reaches the deposits.
    /// @dev Re-executes at most CHUNK_SIZE txs between two committed states, so the cost does not depend on the
    ///      batch size. A proof against a valid chunk reverts with ChunkIsValid and changes nothing.
    function proveFraud(FraudProof calldata proof) external nonReentrant {
        Batch calldata batch = proof.batch;
        _requirePending(batch);
        _requireParent(batch, proof.parent);
        Execution memory run = _startExecution(proof);
        (Fault fault, uint256 txIndex, bytes32 exitRoot) = _executeChunk(run, proof);
        if (fault == Fault.None) fault = _compareOutcome(run, exitRoot, proof.post);
        if (fault == Fault.None) fault = _checkChunkSignatures(proof);
        if (fault == Fault.None) revert ChunkIsValid(batch.id, proof.chunkIndex);
        _convict(batch, proof.parent, proof.chunkIndex, txIndex, fault);
    }

    /// @dev A proven fault in `batch` (standing and pending, `parent` below it): rolls it and everything above it
    ///      back (the tip moves to `parent`, constant gas) and slashes the bond to the committed challenger.
    function _convict(
        Batch calldata batch,
        Batch calldata parent,
        uint256 chunkIndex,
        uint256 txIndex,
        Fault fault
    ) private {
        // INVARIANT: the reward goes to the challenger who committed to this exact proof in an earlier block, so
        // copying a challenger's transaction earns nothing.
        bytes32 commitment = keccak256(abi.encodePacked(msg.sender, keccak256(msg.data)));
        uint256 committedAt = fraudCommitments[commitment];
        if (committedAt == 0 || committedAt >= block.number) revert FraudProofNotCommitted(msg.sender, commitment);
        delete fraudCommitments[commitment];

        emit FraudProven(batch.id, chunkIndex, msg.sender, txIndex, fault);
        emit BatchRolledBack(batch.id, batch.id, _tip.id);
        _moveTip(parent);
        _rewindConsumed(parent.depositEnd);
        // INVARIANT: a proof pays out of the bond the operator still holds and never out of users' money: once the
        // bond is slashed, further proofs (of older batches of the same operator) roll back and pay nothing.
        if (_tip.bonded) _slash(msg.sender);
    }

    function _startExecution(FraudProof calldata proof) private view returns (Execution memory run) {
        Batch calldata batch = proof.batch;
        if (proof.chunkIndex >= batch.chunkCount) {
            revert ChunkOutOfRange(batch.id, proof.chunkIndex, batch.chunkCount);
        }
        if (!_isChunk(batch, proof.chunkIndex, proof.post, proof.postProof)) {
            revert InvalidChunkProof(batch.id, proof.chunkIndex);
        }
        bytes32 dataHash = keccak256(proof.chunkData);
        // A blob batch's leaf holds the chunk's location (a sha256, which no keccak256 of bytes matches): the bytes
        // are the chunk's when they were opened against its blob (BlobChunks.openChunk).
        // INVARIANT: a proof re-executes the chunk's own bytes and no others (the leaf's keccak256, or the bytes
        // opened at the leaf's blob location), so an invalid batch can always be proven and a valid one never.
        if (dataHash != proof.post.dataHash && BLOB_CHUNKS.chunkHashOf(proof.post.dataHash) != dataHash) {
            revert ChunkDataMismatch(batch.id, proof.chunkIndex, proof.post.dataHash);
        }
        run.domain = DOMAIN_SEPARATOR;
        run.chunkSize = CHUNK_SIZE;
        run.exitTreeDepth = EXIT_TREE_DEPTH;
        if (proof.chunkIndex == 0) {
            // _requireParent checked that proof.parent is the batch standing below.
            run.stateRoot = proof.parent.stateRoot;
            run.depositCursor = proof.parent.depositEnd;
            run.forcedCursor = proof.parent.forcedEnd;
        } else {
            if (!_isChunk(batch, proof.chunkIndex - 1, proof.pre, proof.preProof)) {
                revert InvalidChunkProof(batch.id, proof.chunkIndex - 1);
            }
            run.stateRoot = proof.pre.stateRoot;
            run.depositCursor = proof.pre.depositCursor;
            run.forcedCursor = proof.pre.forcedCursor;
        }
        run.depositEnd = batch.depositEnd;
        run.forcedEnd = batch.forcedEnd;
        run.feeRecipient = batch.feeRecipient;
        run.feeAccount = batch.feeAccount;
    }

    function _compareOutcome(
        Execution memory run,
        bytes32 exitRoot,
        ChunkCommitment calldata post
    ) private pure returns (Fault) {
        if (run.depositCursor != post.depositCursor) return Fault.DepositCursorMismatch;
        if (run.forcedCursor != post.forcedCursor) return Fault.ForcedCursorMismatch;
        if (exitRoot != post.exitRoot) return Fault.ExitRootMismatch;
        if (run.stateRoot != post.stateRoot) return Fault.StateRootMismatch;
        return Fault.None;
    }

    /// @inheritdoc ChunkExecutor
    function _isQueuedDeposit(uint256 index, DepositWitness calldata d) internal view override returns (bool) {
        return _isDeposit(index, d.sender, d.recipient, d.amount);
    }

    /// @inheritdoc ChunkExecutor
    function _isForcedRequest(uint256 index, ForcedWitness calldata r) internal view override returns (bool) {
        if (index >= _forcedRequests.length) return false;
        return _forcedRequests[index].requestHash == _forcedRequestHash(r.account, r.signer, r.recipient, r.amount);
    }

    // ------------------------------------------------------------------ variant hooks (BlsOptimisticRollup)

    /// @dev Signatures checked for a whole chunk once its txs executed and matched their commitment (none here:
    ///      each ECDSA signature is checked with its tx). A variant returns the fault of a bad chunk signature.
    function _checkChunkSignatures(FraudProof calldata) internal view virtual returns (Fault) {
        return Fault.None;
    }

    /// @dev The largest chunk L1 accepts, in bytes: CHUNK_SIZE of the largest tx (a variant adds its header).
    function _maxChunkLength() internal view virtual returns (uint256) {
        return CHUNK_SIZE * TxCodec.WITHDRAW_LENGTH;
    }

    // ------------------------------------------------------------------ deposits and exits

    /// @notice Deposits msg.value into L2 for the account owned by the L2 key `l2Owner`.
    /// @dev Queued on L1; the next batch credits it (to a new account, or to an existing one `l2Owner` owns).
    function deposit(address l2Owner) external payable notFrozen {
        if (l2Owner == address(0)) revert ZeroL2Owner();
        if (msg.value > type(uint128).max) revert DepositTooLarge(msg.value, type(uint128).max);
        _queueDeposit(bytes32(uint256(uint160(l2Owner))), msg.value);
        _depositQueuedAt.push(uint64(block.timestamp));
    }

    /// @notice Pays one exit of a final batch to its recipient; anyone may send the claim.
    function claimExit(ExitClaim calldata claim) external nonReentrant {
        Batch calldata batch = claim.batch;
        // INVARIANT: a batch is final only after its window and only if it (and so everything before it) stands.
        _requireStanding(batch);
        if (block.timestamp < batch.finalAt) revert BatchNotFinal(batch.id, batch.finalAt);
        if (!_isChunk(batch, claim.chunkIndex, claim.chunk, claim.chunkProof)) {
            revert InvalidChunkProof(batch.id, claim.chunkIndex);
        }
        bytes32 exitLeaf = keccak256(abi.encodePacked(claim.recipient, claim.amount));
        if (
            claim.exitProof.length != EXIT_TREE_DEPTH ||
            !KeccakMerkle.verify(claim.chunk.exitRoot, exitLeaf, claim.position, claim.exitProof)
        ) revert InvalidExitProof(batch.id, claim.chunkIndex, claim.position);
        bytes32 key = keccak256(abi.encode(batch.id, claim.chunkIndex, claim.position));
        // INVARIANT: each exit is paid at most once.
        if (exitClaimed[key]) revert ExitAlreadyClaimed(batch.id, claim.chunkIndex, claim.position);
        exitClaimed[key] = true;
        emit ExitClaimed(batch.id, claim.chunkIndex, claim.recipient, claim.position, claim.amount);
        _pay(claim.recipient, claim.amount);
    }

    // ------------------------------------------------------------------ censorship resistance

    /// @notice Asks L1 to force an exit of `amount` from L2 account `account` to msg.sender. The account's L2 key
    ///         signs ForcedWithdrawal(account, msg.sender, amount, forcedNonce[msg.sender]).
    /// @dev The operator must process the request within FORCE_INCLUSION_DELAY or anyone may freeze the rollup.
    ///      The signature names a nonce of the sender's own, not the request's place in the queue: a request of
    ///      someone else's mined first cannot change what this one recovers to.
    function requestForcedWithdrawal(uint32 account, uint256 amount, bytes calldata l2Signature) external notFrozen {
        uint256 requestIndex = _forcedRequests.length;
        uint256 nonce = forcedNonce[msg.sender]++;
        bytes32 digest = TxCodec.forcedWithdrawalDigest(DOMAIN_SEPARATOR, account, msg.sender, amount, nonce);
        address signer = TxCodec.recover(digest, _signature(l2Signature));
        // INVARIANT: a request is stored as the request of the key that signed it, or not at all.
        if (signer == address(0)) revert InvalidL2Signature(signer, address(0));
        _forcedRequests.push(
            ForcedRequest(_forcedRequestHash(account, signer, msg.sender, amount), uint64(block.timestamp))
        );
        emit ForcedWithdrawalRequested(
            requestIndex,
            account,
            msg.sender,
            signer,
            amount,
            block.timestamp + FORCE_INCLUSION_DELAY
        );
    }

    /// @notice Freezes the rollup once the oldest unprocessed forced request is overdue (FORCE_INCLUSION_DELAY) or
    ///         the oldest deposit no standing batch consumed is (DEPOSIT_DEADLINE). Pending batches are rolled back,
    ///         the bond is slashed (half to the caller), and users escape from the last final state; depositors
    ///         take back every deposit no final batch consumed.
    /// @dev Constant gas. The caller names the newest final batch of the standing chain and the batch standing
    ///      above it (ignored when the last final batch is the tip): finalAt only grows along the chain, so a final
    ///      batch whose child is not final is the newest final one.
    /// @param lastFinal the newest final batch's record
    /// @param next the record of the batch standing above `lastFinal` (any record when `lastFinal` is the tip)
    function freeze(Batch calldata lastFinal, Batch calldata next) external notFrozen nonReentrant {
        Tip memory tip = _tip;
        uint256 processed = tip.forcedEnd;
        uint256 consumed = tip.depositEnd;
        bool requestWaits = processed < _forcedRequests.length;
        bool depositWaits = consumed < _depositQueuedAt.length;
        uint256 requestDeadline = requestWaits ? _forcedRequests[processed].requestedAt + FORCE_INCLUSION_DELAY : 0;
        uint256 depositDeadline = depositWaits ? _depositQueuedAt[consumed] + DEPOSIT_DEADLINE : 0;
        // INVARIANT: every deposit is credited or refunded, and every forced request honoured or escaped: an
        // operator that leaves either waiting past its deadline can be frozen out by anyone.
        bool overdue =
            (requestWaits && block.timestamp > requestDeadline) || (depositWaits && block.timestamp > depositDeadline);
        if (!overdue) {
            if (requestWaits) revert RequestNotOverdue(processed, requestDeadline);
            if (depositWaits) revert DepositNotOverdue(consumed, depositDeadline);
            revert NothingOverdue(processed, _forcedRequests.length);
        }

        // INVARIANT: users escape from the newest final state, and every deposit no final batch consumed is
        // refunded: `lastFinal` is final and stands, and the batch standing above it (if any) is not final.
        _requireStanding(lastFinal);
        if (block.timestamp < lastFinal.finalAt) revert NotLastFinal(lastFinal.id);
        if (lastFinal.height < tip.height) {
            _requireStanding(next);
            if (next.height != lastFinal.height + 1 || block.timestamp >= next.finalAt)
                revert NotLastFinal(lastFinal.id);
            emit BatchRolledBack(next.id, lastFinal.id, tip.id);
        }
        _moveTip(lastFinal);
        _tip.frozen = true;
        frozenStateRoot = lastFinal.stateRoot;
        _rewindConsumed(lastFinal.depositEnd);
        emit RollupFrozen(msg.sender, lastFinal.id, lastFinal.stateRoot, processed);
        if (_tip.bonded) _slash(msg.sender);
    }

    /// @notice In a frozen rollup, pays an account's whole balance in the last final state to `recipient`, which
    ///         the account's L2 key signs for (Escape(account, recipient)).
    function escape(
        AccountCodec.Account calldata account,
        bytes32[] calldata siblings,
        address recipient,
        bytes calldata l2Signature
    ) external nonReentrant {
        if (!_tip.frozen) revert RollupNotFrozen();
        if (escaped[account.index]) revert AlreadyEscaped(account.index);
        bytes32 root = frozenStateRoot;
        if (
            account.owner == address(0) ||
            siblings.length != ACCOUNT_TREE_DEPTH ||
            !KeccakMerkle.verify(root, AccountCodec.hash(account), account.index, siblings)
        ) revert InvalidAccountProof(account.index, root);
        bytes32 digest = TxCodec.escapeDigest(DOMAIN_SEPARATOR, account.index, recipient);
        address signer = TxCodec.recover(digest, _signature(l2Signature));
        if (signer != account.owner) revert InvalidL2Signature(signer, account.owner);
        // INVARIANT: an account escapes once, with its balance in the last final state.
        escaped[account.index] = true;
        emit Escaped(account.index, account.owner, recipient, account.balance);
        _pay(recipient, account.balance);
    }

    /// @notice In a frozen rollup, refunds a deposit no final batch consumed to the L1 account that sent it.
    function refundDeposit(uint256 index, address sender, bytes32 recipient, uint256 amount) external nonReentrant {
        if (!_tip.frozen) revert RollupNotFrozen();
        _refundDeposit(index, sender, recipient, amount);
        _pay(sender, amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice The standing tip's id: the parent of the next batch.
    function tipId() external view returns (uint256) {
        return _tip.id;
    }

    /// @notice How many batches were ever posted, the genesis included (the next batch's id).
    function batchCount() external view returns (uint256) {
        return _tip.count;
    }

    /// @notice Whether the operator's bond is posted (it may post batches).
    function bonded() external view returns (bool) {
        return _tip.bonded;
    }

    /// @notice Whether the rollup is frozen (users escape, depositors take back unconsumed deposits).
    function frozen() external view returns (bool) {
        return _tip.frozen;
    }

    /// @notice The hash of the batch standing at `height` (stale above the tip's height).
    function batchHash(uint256 height) external view returns (bytes32) {
        return _chain[height];
    }

    /// @notice Whether `batch` is a batch L1 committed to and stands (not rolled back).
    function isStanding(Batch calldata batch) external view returns (bool) {
        return _isStanding(batch);
    }

    /// @notice Whether `batch` is final: it stands and its window passed.
    function isFinal(Batch calldata batch) external view returns (bool) {
        return _isStanding(batch) && block.timestamp >= batch.finalAt;
    }

    /// @notice How many forced withdrawals were ever requested.
    function forcedRequestCount() external view returns (uint256) {
        return _forcedRequests.length;
    }

    /// @notice Forced request `index`: its hash and when it was made.
    function forcedRequest(uint256 index) external view returns (bytes32 requestHash, uint64 requestedAt) {
        if (index >= _forcedRequests.length) revert UnknownForcedRequest(index, _forcedRequests.length);
        ForcedRequest storage r = _forcedRequests[index];
        return (r.requestHash, r.requestedAt);
    }

    // ------------------------------------------------------------------ internals

    function _isStanding(Batch calldata batch) private view returns (bool) {
        return batch.height <= _tip.height && _chain[batch.height] == _hashOf(batch);
    }

    /// @dev keccak256(abi.encode(batch)), hashed where the record lies in calldata (a Batch is 12 static words).
    ///      A record with dirty bits hashes differently from the clean encoding L1 stored, so it never stands.
    function _hashOf(Batch calldata batch) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            let scratch := mload(0x40)
            calldatacopy(scratch, batch, 384)
            hash := keccak256(scratch, 384)
        }
    }

    /// @dev `batch` is a record L1 committed to and it stands.
    function _requireStanding(Batch calldata batch) private view {
        if (!_isStanding(batch)) revert BatchNotStanding(batch.id, batch.height);
    }

    /// @dev `batch` stands and its window is open (the genesis is final from the start).
    function _requirePending(Batch calldata batch) private view {
        _requireStanding(batch);
        // INVARIANT: a final batch can never be rolled back; exits from it may already be paid.
        if (block.timestamp >= batch.finalAt) revert BatchAlreadyFinal(batch.id, batch.finalAt);
    }

    /// @dev `parent` is the batch standing just below the standing `batch`: on the one standing chain, that is its
    ///      parent.
    function _requireParent(Batch calldata batch, Batch calldata parent) private view {
        // batch.height >= 1: the genesis never reaches here (it is final, _requirePending).
        if (parent.height != batch.height - 1 || parent.id != batch.parentId) revert NotTheParent(batch.id, parent.id);
        _requireStanding(parent);
    }

    /// @dev Makes `batch` (standing) the tip: the batches above it no longer stand.
    function _moveTip(Batch calldata batch) private {
        Tip memory tip = _tip;
        tip.id = uint48(batch.id);
        tip.height = batch.height;
        tip.depositEnd = batch.depositEnd;
        tip.forcedEnd = uint48(batch.forcedEnd);
        _tip = tip;
    }

    /// @dev Half the bond to `beneficiary`, half burnt; the operator must bond again to post.
    function _slash(address beneficiary) private {
        _tip.bonded = false;
        uint256 reward = BOND / 2;
        uint256 burnt = BOND - reward;
        emit OperatorSlashed(OPERATOR, beneficiary, reward, burnt);
        _pay(beneficiary, reward);
        _pay(BURN_ADDRESS, burnt);
    }

    function _isChunk(
        Batch calldata batch,
        uint256 chunkIndex,
        ChunkCommitment calldata chunk,
        bytes32[] calldata siblings
    ) private view returns (bool) {
        if (chunkIndex >= batch.chunkCount || siblings.length != CHUNK_TREE_DEPTH) return false;
        return KeccakMerkle.verify(batch.chunksRoot, _chunkLeaf(chunk), chunkIndex, siblings);
    }

    function _chunkLeaf(ChunkCommitment calldata c) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(c.stateRoot, c.exitRoot, c.dataHash, c.depositCursor, c.forcedCursor));
    }

    /// @dev Hashes each chunk into its leaf. Every chunk's cursors must lie between the parent's and the last
    ///      chunk's and never go back, so each one stays below the queue lengths (a fraud proof can start from any
    ///      chunk's committed cursors, and off-chain code never meets a cursor beyond the real queues).
    function _chunksRoot(
        bytes[] calldata chunks,
        ChunkState[] calldata states,
        uint64 depositCursor,
        uint64 forcedCursor
    ) private view returns (bytes32) {
        uint256 maxLength = _maxChunkLength();
        bytes32[] memory leaves = new bytes32[](chunks.length);
        ChunkState calldata last = states[chunks.length - 1];
        for (uint256 i = 0; i < chunks.length; ++i) {
            if (chunks[i].length > maxLength) revert ChunkTooLarge(i, chunks[i].length, maxLength);
            ChunkState calldata s = states[i];
            if (
                s.depositCursor < depositCursor ||
                s.depositCursor > last.depositCursor ||
                s.forcedCursor < forcedCursor ||
                s.forcedCursor > last.forcedCursor
            ) revert ChunkCursorOutOfOrder(i, s.depositCursor, s.forcedCursor);
            depositCursor = s.depositCursor;
            forcedCursor = s.forcedCursor;
            leaves[i] = keccak256(
                abi.encodePacked(s.stateRoot, s.exitRoot, keccak256(chunks[i]), s.depositCursor, s.forcedCursor)
            );
        }
        return BatchMerkle.rootOf(leaves, CHUNK_TREE_DEPTH);
    }

    /// @dev The watcher rebuilds every batch from the transaction that posted it, decoding its input with a strict
    ///      ABI decoder. So L1 takes a batch only when that input is exactly this call: sent by an account without
    ///      code that is the transaction's origin (so the call is the transaction itself, not a call made from
    ///      inside a contract or an EIP-7702 delegation, whose code is 0xef0100 || target), in the standard ABI
    ///      encoding: no reordered tails, no gaps or overlaps, no dirty padding, no trailing bytes.
    function _requireRecoverable(bytes[] calldata chunks, uint256 stateCount) private view {
        _requireOrigin();
        _requireStandardEncoding(chunks, stateCount);
    }

    /// @dev Checks in place that msg.data is the standard encoding of submitBatch(chunks, states, feeRecipient,
    ///      feeAccount): every offset is the one an encoder writes, each chunk's padding is zero and nothing follows
    ///      the states. The decoder has read every length from where these offsets point, and the static values
    ///      (the ChunkState fields, feeRecipient, feeAccount) are checked for dirty bits when read; so the input is
    ///      the re-encoding of its own arguments, byte for byte.
    ///      // [selector<4>|0x80|statesOffset|feeRecipient|feeAccount|n|offset_0..offset_n-1|(len_i|data_i|0-pad)...
    ///      //  |n|ChunkState<128> × n]
    ///      gas: a few hundred per chunk. Re-encoding the call in memory and comparing hashes, as an earlier version
    ///      did, made memory expansion quadratic in the batch: about 2.3 M gas for 16,384 BLS transfers.
    function _requireStandardEncoding(bytes[] calldata chunks, uint256 stateCount) private pure {
        // Positions are bounded by the calldata's length: no arithmetic here can overflow.
        unchecked {
            if (_word(4) != 4 * 32) revert NonStandardCalldata(4);
            // Chunk offsets count from the array's first offset word, right after its length (at 4 + 4 * 32).
            uint256 arrayStart = 4 + 5 * 32;
            uint256 next = 32 * chunks.length;
            for (uint256 i = 0; i < chunks.length; ++i) {
                if (_word(arrayStart + 32 * i) != next) revert NonStandardCalldata(arrayStart + 32 * i);
                uint256 length = chunks[i].length;
                next += 32 + ((length + 31) & ~uint256(31));
                // The word that ends the chunk's padded bytes: its last (32 - length % 32) % 32 bytes are padding.
                uint256 padding = (32 - (length % 32)) % 32;
                if (padding != 0 && _word(arrayStart + next - 32) << (8 * (32 - padding)) != 0) {
                    revert NonStandardCalldata(arrayStart + next - padding);
                }
            }
            // The states follow the last chunk; nothing follows the states.
            if (_word(4 + 32) != 5 * 32 + next) revert NonStandardCalldata(4 + 32);
            uint256 end = arrayStart + next + 32 + stateCount * 4 * 32;
            if (msg.data.length != end) revert NonStandardCalldata(end < msg.data.length ? end : msg.data.length);
        }
    }

    /// @dev The 32-byte word of msg.data at byte `position`; a word past the end is refused as non-standard.
    function _word(uint256 position) private pure returns (uint256) {
        if (position + 32 > msg.data.length) revert NonStandardCalldata(msg.data.length);
        return uint256(bytes32(msg.data[position:position + 32]));
    }

    function _requireOperator() private view {
        if (msg.sender != OPERATOR) revert NotOperator(msg.sender, OPERATOR);
    }

    function _requireNotFrozen() private view {
        if (_tip.frozen) revert RollupIsFrozen();
    }

    /// @dev Who may post a batch: the bonded operator of a rollup that is not frozen.
    function _requirePoster() private view {
        _requireOperator();
        _requireNotFrozen();
        if (!_tip.bonded) revert NotBonded(OPERATOR);
    }

    /// @dev The poster is an account without code that is the transaction's origin: its call is the transaction's
    ///      own input (see _requireRecoverable).
    function _requireOrigin() private view {
        // solhint-disable-next-line avoid-tx-origin
        if (msg.sender != tx.origin || msg.sender.code.length != 0) {
            // solhint-disable-next-line avoid-tx-origin
            revert PosterNotOrigin(msg.sender, tx.origin, msg.sender.code.length);
        }
    }

    /// @dev The checks every batch passes before its chunks are hashed: the chunk count, the fee recipient, and the
    ///      last chunk's cursors against the parent and the queues (consuming the deposits it takes). Returns the
    ///      parent, the standing tip.
    function _openBatch(
        uint256 count,
        ChunkState calldata last,
        address feeRecipient
    ) private returns (Tip memory parent) {
        if (count == 0 || count > MAX_CHUNKS) revert ChunkCountOutOfRange(count, count, MAX_CHUNKS);
        if (feeRecipient == address(0)) revert ZeroFeeRecipient();
        parent = _tip;
        if (last.depositCursor < parent.depositEnd)
            revert DepositCursorBackwards(last.depositCursor, parent.depositEnd);
        _consumeDeposits(last.depositCursor - parent.depositEnd);
        if (last.forcedCursor < parent.forcedEnd || last.forcedCursor > _forcedRequests.length) {
            revert ForcedCursorOutOfRange(last.forcedCursor, parent.forcedEnd, _forcedRequests.length);
        }
    }

    /// @dev Appends the batch on the standing tip `parent` (whose checks _openBatch made) and makes it the tip: one
    ///      new slot, the batch's hash at its height, and the tip's slot.
    function _appendBatch(
        Tip memory parent,
        bytes32 chunksRoot,
        uint256 count,
        ChunkState calldata last,
        address feeRecipient,
        uint32 feeAccount,
        bytes32 blobs
    ) private {
        Batch memory batch = Batch({
            id: parent.count,
            parentId: parent.id,
            height: parent.height + 1,
            chunksRoot: chunksRoot,
            stateRoot: last.stateRoot,
            feeRecipient: feeRecipient,
            feeAccount: feeAccount,
            finalAt: uint64(block.timestamp) + CHALLENGE_PERIOD,
            depositEnd: last.depositCursor,
            forcedEnd: last.forcedCursor,
            chunkCount: uint16(count),
            blobs: blobs
        });
        _chain[batch.height] = keccak256(abi.encode(batch));
        // The forced cursor is at most the number of requests (_openBatch), far below 2^48.
        _tip = Tip({
            id: uint48(batch.id),
            height: batch.height,
            depositEnd: batch.depositEnd,
            forcedEnd: uint48(batch.forcedEnd),
            count: parent.count + 1,
            bonded: parent.bonded,
            frozen: parent.frozen
        });
        emit BatchSubmitted(batch.id, batch.parentId, batch);
    }

    function _forcedRequestHash(
        uint32 account,
        address signer,
        address recipient,
        uint256 amount
    ) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(account, signer, recipient, amount));
    }

    function _signature(bytes calldata sig) private pure returns (TxCodec.Signature memory s) {
        if (sig.length != 65) return s;
        s.r = bytes32(sig[0:32]);
        s.s = bytes32(sig[32:64]);
        s.v = uint8(sig[64]);
    }

    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert PaymentFailed(to, amount);
    }
}
