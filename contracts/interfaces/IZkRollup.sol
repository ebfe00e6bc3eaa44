// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A Groth16 verifier with two public inputs, as snarkjs exports it (`zk:setup` generates it per clone).
interface IZkBatchVerifier {
    /// @notice True when (a, b, c) is a valid proof for the public inputs [commitment, domain].
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[2] calldata input
    ) external view returns (bool);
}

/// @title IZkRollup
/// @notice Events, errors and structs of the zk rollup (contracts/zk/ZkRollup.sol).
interface IZkRollup {
    /// @notice An L1 request to exit `amount` wei from `account`, to be answered by a batch before `deadline`.
    struct ForcedExitRequest {
        uint32 account;
        uint64 deadline;
        uint128 amount;
    }

    /// @notice The rollup started from `genesisRoot`, with the operator's fee account at index 0.
    event Genesis(uint256 indexed genesisRoot, address indexed operator, uint256 treeDepth, uint256 batchSize);
    /// @notice L1 assigned account `index` to the key (ax, ay) owned by `owner`; it enters L2 with its first deposit.
    event AccountRegistered(uint256 indexed index, address indexed owner, uint256 ax, uint256 ay);
    /// @notice The Poseidon deposit chain after deposit `depositIndex` (the value the circuit recomputes).
    event DepositLinked(uint256 indexed depositIndex, uint256 indexed account, uint256 chain);
    /// @notice Batch `batchNumber` was proven: the root moved from `oldRoot` to `newRoot`.
    event BatchProven(
        uint256 indexed batchNumber,
        uint256 indexed oldRoot,
        uint256 indexed newRoot,
        uint256 commitment,
        bytes32 exitRoot,
        uint256 depositsConsumed
    );
    /// @notice The packed ops of proven batch `batchNumber`, as L1 decoded them: what any node replays, however the
    ///         batch reached the contract (a contract's inner call, non-standard calldata).
    event BatchData(uint256 indexed batchNumber, bytes ops);
    /// @notice An exit of batch `batchNumber`, slot `slot`, was paid to `owner`.
    event WithdrawalClaimed(uint256 indexed batchNumber, uint256 indexed slot, address indexed owner, uint256 amount);
    /// @notice `owner` asked L1 to exit `amount` wei from `account`; a batch must answer by `deadline`.
    event ForcedExitRequested(
        uint256 indexed requestId,
        uint256 indexed account,
        address indexed owner,
        uint256 amount,
        uint256 deadline
    );
    /// @notice A batch answered forced-exit request `requestId` (`paid`: the balance covered it).
    event ForcedExitAnswered(uint256 indexed requestId, uint256 indexed batchNumber, bool paid);
    /// @notice Request `requestId` was overdue, so `by` froze the rollup: no more batches, exits by escape.
    event Frozen(uint256 indexed requestId, address indexed by, uint256 lastStateRoot);
    /// @notice Deposit `depositIndex` waited unconsumed past the deposit deadline, so `by` froze the rollup.
    event FrozenOnDeposit(uint256 indexed depositIndex, address indexed by, uint256 lastStateRoot);
    /// @notice In the frozen rollup, unconsumed deposit `depositIndex` was paid back to `sender`.
    event DepositRefundPaid(uint256 indexed depositIndex, address indexed sender, uint256 amount);
    /// @notice In the frozen rollup, `account`'s whole balance in the last proven state was paid to `owner`.
    event Escaped(uint256 indexed account, address indexed owner, uint256 amount);

    /// @notice Only the operator posts batches.
    error NotOperator(address caller, address operator);
    /// @notice The rollup is frozen: no deposits, batches or forced exits any more.
    error RollupFrozen();
    /// @notice Escapes and refunds need a frozen rollup.
    error RollupNotFrozen();
    /// @notice A value that must be a BN254 scalar field element (< r) is not.
    error NotInField(string what, uint256 value);
    /// @notice A proof coordinate is not below the base field order q.
    error ProofElementNotInField(uint256 position, uint256 value);
    /// @notice The proof does not verify for this batch's commitment.
    error InvalidProof(uint256 batchNumber, uint256 commitment);
    /// @notice The packed ops are not exactly batchSize slots of 14 bytes.
    error OpsLengthMismatch(uint256 length, uint256 expected);
    /// @notice A slot's type byte is not an op type.
    error UnknownOpType(uint256 slot, uint256 opType);
    /// @notice A slot names an account L1 never assigned.
    error UnknownAccount(uint256 slot, uint256 account);
    /// @notice A forced-exit slot does not answer the oldest open request.
    error ForcedExitMismatch(uint256 slot, uint256 requestId, uint256 account, uint256 amount);
    /// @notice A deposit amount is not below 2^128 wei, or an exit amount is not a Float40 value.
    error AmountNotRepresentable(uint256 amount);
    /// @notice A deposit or forced exit below the minimum amount.
    error BelowMinimum(string what, uint256 amount, uint256 minimum);
    /// @notice Every index of the depth-`treeDepth` tree is taken.
    error TreeFull(uint256 treeDepth);
    /// @notice Only the account's L1 owner may ask for a forced exit.
    error NotAccountOwner(uint256 account, address caller, address owner);
    /// @notice The account's first deposit has not reached L2 yet.
    error AccountNotInState(uint256 account);
    /// @notice No forced-exit request and no deposit is overdue (`deadline`: the earliest one due, 0 if none).
    error NothingOverdue(uint256 requestId, uint256 deadline, uint256 nowTimestamp);
    /// @notice The batch number does not exist.
    error UnknownBatch(uint256 batchNumber, uint256 batchCount);
    /// @notice The exit was claimed already.
    error AlreadyClaimed(uint256 batchNumber, uint256 slot);
    /// @notice The exit's Merkle proof does not lead to the batch's exit root.
    error InvalidExitProof(uint256 batchNumber, uint256 slot, address owner, uint256 amount);
    /// @notice The account's Merkle proof does not lead to the last proven state root.
    error InvalidAccountProof(uint256 account, uint256 computedRoot, uint256 stateRoot);
    /// @notice The account escaped already.
    error AlreadyEscaped(uint256 account);
    /// @notice A proof has the wrong number of siblings.
    error WrongProofLength(uint256 length, uint256 expected);
    /// @notice An ETH transfer out failed.
    error PayoutFailed(address to, uint256 amount);
    /// @notice The key (ax, ay) is not a point of Baby Jubjub, or 8 times it is the identity (small order).
    error InvalidKey(uint256 ax, uint256 ay);
    /// @notice A constructor parameter is out of range.
    error InvalidParameter(string name, uint256 value);
}
