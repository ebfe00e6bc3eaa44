// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOptimisticRollup
/// @notice Structs, events and errors of the optimistic rollup (contracts/optimistic/OptimisticRollup.sol).
/// @dev A batch is split into chunks of at most CHUNK_SIZE txs. For each chunk the operator commits the state after
///      it; L1 keeps one Merkle root over the chunk commitments, so a fraud proof re-executes one chunk between two
///      committed states, and its cost depends on the chunk size, never on the batch size.
///      Chunk leaf: keccak256([stateRoot<32>|exitRoot<32>|dataHash<32>|depositCursor<8>|forcedCursor<8>]), 112 bytes.
interface IOptimisticRollup {
    /// @notice What the operator commits for each chunk, next to the chunk's tx bytes.
    struct ChunkState {
        bytes32 stateRoot; // account tree root after the chunk
        bytes32 exitRoot; // root of the chunk's exit tree: leaf i = keccak256(recipient<20>|amount<32>) or 0
        uint64 depositCursor; // deposits consumed from the L1 queue after the chunk
        uint64 forcedCursor; // forced-withdrawal requests processed after the chunk
    }

    /// @notice A chunk as L1 hashed it: its state and the keccak256 of its tx bytes.
    struct ChunkCommitment {
        bytes32 stateRoot;
        bytes32 exitRoot;
        bytes32 dataHash;
        uint64 depositCursor;
        uint64 forcedCursor;
    }

    /// @notice A batch as L1 committed to it. L1 stores only keccak256(abi.encode(batch)), at the batch's height;
    ///         every call about a batch passes the whole record back (BatchSubmitted gives it), and L1 checks it
    ///         against that slot. A batch stands iff its height is at most the tip's and its hash is the one there.
    struct Batch {
        uint64 id; // batches are numbered from 1 in posting order; 0 is the genesis
        uint64 parentId;
        uint32 height; // the number of batches from the genesis to this one along its parents
        bytes32 chunksRoot; // the root of the chunk tree
        bytes32 stateRoot; // the state after the last chunk
        address feeRecipient;
        uint32 feeAccount;
        uint64 finalAt; // final once block.timestamp >= finalAt and it stands
        uint64 depositEnd;
        uint64 forcedEnd;
        uint16 chunkCount;
        bytes32 blobs; // posted with submitBlobBatch: keccak256 of its versioned hashes, in order; 0 for calldata
    }

    /// @notice An account leaf as the witness shows it before the tx touches it (owner 0: no account).
    struct AccountWitness {
        address owner;
        uint128 balance;
        uint32 nonce;
        bytes32[] siblings;
    }

    /// @notice The L1 queue entry a deposit tx consumes.
    struct DepositWitness {
        address sender;
        bytes32 recipient;
        uint256 amount;
    }

    /// @notice The L1 forced-withdrawal request a forced-exit tx processes.
    struct ForcedWitness {
        uint32 account;
        address signer;
        address recipient;
        uint256 amount;
    }

    /// @notice Everything a fraud proof for one chunk carries. `pre` is ignored for chunk 0 (the parent batch's
    ///         final state is used). Witnesses are consumed in tx order, against the root as it evolves.
    struct FraudProof {
        Batch batch;
        Batch parent; // the batch standing below it
        uint256 chunkIndex;
        ChunkCommitment pre;
        bytes32[] preProof;
        ChunkCommitment post;
        bytes32[] postProof;
        bytes chunkData;
        AccountWitness[] accounts;
        DepositWitness[] deposits;
        ForcedWitness[] forced;
    }

    /// @notice A claim of one exit of a final batch.
    struct ExitClaim {
        Batch batch;
        uint256 chunkIndex;
        ChunkCommitment chunk;
        bytes32[] chunkProof;
        uint256 position; // the tx's position in its chunk
        address recipient;
        uint256 amount;
        bytes32[] exitProof;
    }

    /// @notice Why a chunk is invalid. Values are part of the FraudProven event: append only.
    enum Fault {
        None,
        Malformed, // bytes do not decode into whole txs (an empty chunk is a valid no-op)
        TooManyTxs, // more than CHUNK_SIZE txs
        DepositOutOfRange, // a deposit tx beyond the deposits the batch consumed
        DepositToForeignAccount, // a deposit credited to an account another key owns
        UnknownSender, // a transfer or withdrawal from an account that does not exist
        BadSignature, // not signed by the sender's L2 key
        BadNonce, // nonce is not the account's next (a replay)
        Overdraft, // amount + fee exceeds the balance
        UnknownRecipient, // a transfer to an account that does not exist
        ForcedOutOfRange, // a forced exit beyond the requests the batch processed
        FeeToForeignAccount, // fees credited to an account the fee recipient does not own
        StateRootMismatch, // the committed state root is not the result of the txs
        ExitRootMismatch, // the committed exits are not the txs' exits
        DepositCursorMismatch, // the committed deposit count is not what the txs consumed
        ForcedCursorMismatch, // the committed forced-request count is not what the txs processed
        BadRegistration, // a register tx for an account that exists, or for owner 0
        BadAggregate, // BLS variant: the chunk's aggregate signature does not verify over its BLS transfers
        BadBlobHeader // blob batch: its header is not the chunk tree it committed to, or breaks a rule of the layout
    }

    event OperatorBonded(address indexed operator, uint256 amount);
    event OperatorUnbonded(address indexed operator, uint256 amount);
    event OperatorSlashed(address indexed operator, address indexed beneficiary, uint256 reward, uint256 burnt);
    /// @notice Batch `batchId` stands on `parentId`; `batch` is the record every later call passes back.
    event BatchSubmitted(uint256 indexed batchId, uint256 indexed parentId, Batch batch);
    event FraudProven(
        uint256 indexed batchId,
        uint256 indexed chunkIndex,
        address indexed challenger,
        uint256 txIndex,
        Fault fault
    );
    /// @notice Batch `batchId` and every batch after it up to the tip `lastBatchId` (all descend from it) are rolled
    ///         back, because of batch `cause` (the proven one; for a freeze, the last final batch).
    /// @notice `challenger` committed to a fraud proof it will send from the next block on.
    event FraudProofCommitted(address indexed challenger, bytes32 indexed commitment);
    event BatchRolledBack(uint256 indexed batchId, uint256 indexed cause, uint256 lastBatchId);
    event ExitClaimed(
        uint256 indexed batchId,
        uint256 indexed chunkIndex,
        address indexed recipient,
        uint256 position,
        uint256 amount
    );
    event ForcedWithdrawalRequested(
        uint256 indexed requestIndex,
        uint32 indexed account,
        address indexed recipient,
        address signer,
        uint256 amount,
        uint256 deadline
    );
    event RollupFrozen(address indexed by, uint256 indexed lastFinalBatchId, bytes32 stateRoot, uint256 overdueRequest);
    event Escaped(uint32 indexed account, address indexed owner, address indexed recipient, uint256 amount);

    error NotOperator(address caller, address operator);
    error AlreadyBonded(address operator);
    error NotBonded(address operator);
    error WrongBondAmount(uint256 sent, uint256 required);
    error BatchesStillPending(uint256 tipId, uint256 finalAt);
    error RollupIsFrozen();
    error RollupNotFrozen();
    error ZeroL2Owner();
    error DepositTooLarge(uint256 amount, uint256 max);
    error ChunkCountOutOfRange(uint256 chunks, uint256 states, uint256 max);
    error ChunkTooLarge(uint256 chunkIndex, uint256 length, uint256 max);
    error ZeroFeeRecipient();
    error DepositCursorBackwards(uint256 cursor, uint256 consumed);
    error ForcedCursorOutOfRange(uint256 cursor, uint256 processed, uint256 requested);
    /// @notice The record is not the batch standing at its height: rolled back, above the tip, or not a record L1
    ///         committed to.
    error BatchNotStanding(uint256 batchId, uint256 height);
    /// @notice The record given as a batch's parent is not the batch standing just below it.
    error NotTheParent(uint256 batchId, uint256 parentId);
    /// @notice The record given as the tip is not the tip.
    error NotTheTip(uint256 batchId, uint256 tipId);
    /// @notice freeze: `batchId` is not the newest final batch (not final, or the batch above it is final too).
    error NotLastFinal(uint256 batchId);
    /// @notice proveBadBlobHeader: batch `batchId` was not posted in blobs, or not in these blobs.
    error NotTheBatchBlobs(uint256 batchId);
    /// @notice proveBadBlobHeader: the header of batch `batchId` is valid.
    error BlobHeaderIsValid(uint256 batchId);
    error BatchAlreadyFinal(uint256 batchId, uint256 finalAt);
    error BatchNotFinal(uint256 batchId, uint256 finalAt);
    error ChunkOutOfRange(uint256 batchId, uint256 chunkIndex, uint256 chunkCount);
    error InvalidChunkProof(uint256 batchId, uint256 chunkIndex);
    error ChunkDataMismatch(uint256 batchId, uint256 chunkIndex, bytes32 dataHash);
    error MissingWitness(string kind, uint256 position);
    error InvalidAccountWitness(uint256 account, bytes32 stateRoot);
    error InvalidDepositWitness(uint256 depositIndex);
    error InvalidForcedWitness(uint256 requestIndex);
    error ChunkIsValid(uint256 batchId, uint256 chunkIndex);
    error InvalidExitProof(uint256 batchId, uint256 chunkIndex, uint256 position);
    error ExitAlreadyClaimed(uint256 batchId, uint256 chunkIndex, uint256 position);
    error InvalidL2Signature(address signer, address expected);
    error NothingOverdue(uint256 processed, uint256 requested);
    error RequestNotOverdue(uint256 requestIndex, uint256 deadline);
    /// @notice The oldest deposit waiting is not past its deadline yet.
    error DepositNotOverdue(uint256 depositIndex, uint256 deadline);
    /// @notice A valid fraud proof from `challenger` without its commitment in an earlier block (commitFraudProof).
    error FraudProofNotCommitted(address challenger, bytes32 commitment);
    error AlreadyEscaped(uint32 account);
    error InvalidAccountProof(uint32 account, bytes32 stateRoot);
    error PaymentFailed(address to, uint256 amount);
    /// @notice No forced request has this index.
    error UnknownForcedRequest(uint256 index, uint256 count);
    error Reentered();
    error InvalidParams(string name, uint256 value);
    /// @notice submitBatch was not the transaction's own call from an account without code.
    error PosterNotOrigin(address sender, address origin, uint256 codeLength);
    /// @notice The posting call's input is not the standard ABI encoding of its arguments: it departs from it at byte
    ///         `position` of the input (the selector is bytes 0 to 3).
    error NonStandardCalldata(uint256 position);
    /// @notice A chunk's cursors go back, or beyond the batch's last chunk.
    error ChunkCursorOutOfOrder(uint256 chunkIndex, uint256 depositCursor, uint256 forcedCursor);
}
