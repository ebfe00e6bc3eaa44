// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoseidon2, IPoseidon4} from "../interfaces/IPoseidon.sol";
import {IZkBatchVerifier, IZkRollup} from "../interfaces/IZkRollup.sol";
import {DepositQueue} from "../libraries/DepositQueue.sol";
import {KeccakMerkle} from "../libraries/KeccakMerkle.sol";
import {PoseidonMerkle} from "../libraries/PoseidonMerkle.sol";
import {BabyJubjub} from "./BabyJubjub.sol";
import {ZkCommitment} from "./ZkCommitment.sol";
import {ZkFloat} from "./ZkFloat.sol";
import {ZkOps} from "./ZkOps.sol";

/// @title ZkRollup
/// @notice A validity rollup: L1 accepts a batch only with a Groth16 proof that it moves the account tree from
///         the current root to the new one, so a batch is final the moment it lands. Exits are claimable at once;
///         an overdue forced exit lets anyone freeze the rollup, after which every account escapes with a Merkle
///         proof of its balance and unconsumed deposits are refunded.
/// @dev The circuit (circuits/lib/batch.circom) sees one public input, the commitment
///        sha256(oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14*N>) mod 2^253,
///      and leaves to this contract what it cannot see (its NOTE): the old root, the deposit chain values, the
///      ops length, the forced-exit requests and who owns an account. Each is enforced below where it is used.
///      Accounts: L1 assigns an index to each (key, owner) at its first deposit and remembers the owner, who
///      receives the account's withdrawals and escape. Deposits are linked in a Poseidon chain
///        chain[i] = Poseidon(chain[i-1], ax, ay, amount * 2^32 + index)
///      that the circuit recomputes for the deposits a batch consumes.
contract ZkRollup is IZkRollup, DepositQueue {
    /// @notice The order of BN254's scalar field r: public inputs and tree values are below it.
    uint256 public constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice The order of BN254's base field q: proof coordinates are below it.
    uint256 public constant BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// @notice The smallest deposit and the smallest forced exit, 0.001 ETH: an account index is taken for good,
    ///         and the operator answers forced exits one slot each, in order, so dust is refused.
    uint256 public constant MIN_AMOUNT = 1e15;
    /// @notice Index of the operator's fee account, created at deployment.
    uint256 public constant FEE_ACCOUNT = 0;

    /// @notice The Groth16 verifier of this rollup's circuit (exported by the development ceremony).
    IZkBatchVerifier public immutable VERIFIER;
    /// @notice Poseidon(2): the state tree's node hash, for escape proofs.
    IPoseidon2 public immutable POSEIDON2;
    /// @notice Poseidon(4): account leaves and deposit chain links.
    IPoseidon4 public immutable POSEIDON4;
    /// @notice Depth D of the account tree (the circuit's).
    uint256 public immutable TREE_DEPTH;
    /// @notice Slots N per batch (the circuit's).
    uint256 public immutable BATCH_SIZE;
    /// @notice Seconds the operator has to answer a forced exit before anyone may freeze the rollup.
    uint256 public immutable FORCE_INCLUSION_DELAY;
    /// @notice Seconds a deposit may wait unconsumed before anyone may freeze the rollup (its sender is refunded).
    uint256 public immutable DEPOSIT_DEADLINE;
    /// @notice The only account that posts batches; owner of fee account 0.
    address public immutable OPERATOR;

    /// @notice The root of the account tree after the last proven batch.
    uint256 public stateRoot;
    /// @notice Whether an overdue forced exit froze the rollup.
    bool public frozen;

    /// @dev How many batches were proven; each one's roots and commitment are in its BatchProven event.
    uint256 private _batchCount;
    /// @dev The keccak root of a batch's exits, stored only for batches that have exits.
    // gas: one slot per batch with exits instead of a three-slot record per batch saves about 44,000 gas a batch.
    mapping(uint256 batchNumber => bytes32) private _exitRoots;
    /// @dev _poseidonChain[i]: the Poseidon deposit chain after i + 1 deposits.
    uint256[] private _poseidonChain;
    /// @dev _depositTime[i]: when deposit i was queued.
    // gas: uint64, four to a slot, so three deposits in four write to a slot already in use.
    uint64[] private _depositTime;
    /// @dev accountOwner[index]: the L1 address that owns L2 account `index`.
    address[] private _accountOwner;
    /// @dev The queue index of each account's first deposit: the account is in L2 once that one is consumed.
    uint256[] private _firstDeposit;
    mapping(bytes32 keyAndOwner => uint256 indexPlusOne) private _accountIndex;
    ForcedExitRequest[] private _forcedExits;
    uint256 private _forcedExitsAnswered;
    mapping(uint256 batchNumber => mapping(uint256 slot => bool)) private _claimed;
    mapping(uint256 account => bool) private _escaped;

    /// @notice Deploys the rollup with the operator's fee account (key (operatorAx, operatorAy), balance 0) at index 0.
    /// @dev The genesis root is computed here, on L1, from that single leaf, so nobody has to trust it.
    constructor(
        IZkBatchVerifier verifier,
        IPoseidon2 poseidon2,
        IPoseidon4 poseidon4,
        uint256 treeDepth,
        uint256 batchSize,
        uint256 forceInclusionDelay,
        uint256 depositDeadline,
        address operator,
        uint256 operatorAx,
        uint256 operatorAy
    ) {
        if (treeDepth == 0 || treeDepth > 24) revert InvalidParameter("treeDepth", treeDepth);
        if (batchSize == 0 || batchSize & (batchSize - 1) != 0) revert InvalidParameter("batchSize", batchSize);
        if (operatorAx >= SNARK_SCALAR_FIELD) revert NotInField("operatorAx", operatorAx);
        if (operatorAy >= SNARK_SCALAR_FIELD) revert NotInField("operatorAy", operatorAy);
        if (!BabyJubjub.isValidKey(operatorAx, operatorAy)) revert InvalidKey(operatorAx, operatorAy);
        // The domain (chainid << 160 | address) must be a field element: chain ids below 2^93.
        if (block.chainid >> 93 != 0) revert InvalidParameter("chainid", block.chainid);
        VERIFIER = verifier;
        POSEIDON2 = poseidon2;
        POSEIDON4 = poseidon4;
        TREE_DEPTH = treeDepth;
        BATCH_SIZE = batchSize;
        FORCE_INCLUSION_DELAY = forceInclusionDelay;
        if (depositDeadline == 0 || depositDeadline >> 32 != 0)
            revert InvalidParameter("depositDeadline", depositDeadline);
        DEPOSIT_DEADLINE = depositDeadline;
        OPERATOR = operator;

        _accountOwner.push(operator);
        _firstDeposit.push(0);
        _accountIndex[keccak256(abi.encode(operatorAx, operatorAy, operator))] = 1;
        emit AccountRegistered(FEE_ACCOUNT, operator, operatorAx, operatorAy);

        uint256 node = poseidon4.poseidon([operatorAx, operatorAy, uint256(0), uint256(0)]);
        uint256 empty = 0;
        for (uint256 level = 0; level < treeDepth; ++level) {
            node = poseidon2.poseidon([node, empty]);
            empty = poseidon2.poseidon([empty, empty]);
        }
        stateRoot = node;
        emit Genesis(node, operator, treeDepth, batchSize);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deposits
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Deposits msg.value wei to the L2 account of key (ax, ay) owned by msg.sender, creating it if new.
    /// @dev The deposit waits in the queue until a batch consumes it; the Poseidon chain link is computed here,
    ///      paid by the depositor, so a batch only hashes two chain values however many deposits it consumes.
    function deposit(uint256 ax, uint256 ay) external payable returns (uint256 account) {
        if (frozen) revert RollupFrozen();
        if (ax >= SNARK_SCALAR_FIELD) revert NotInField("ax", ax);
        if (ay >= SNARK_SCALAR_FIELD) revert NotInField("ay", ay);
        if (msg.value < MIN_AMOUNT) revert BelowMinimum("deposit", msg.value, MIN_AMOUNT);
        // INVARIANT: the circuit range checks deposits to 128 bits; a larger one could never be consumed.
        if (msg.value >> 128 != 0) revert AmountNotRepresentable(msg.value);
        bytes32 id = keccak256(abi.encode(ax, ay, msg.sender));
        uint256 indexPlusOne = _accountIndex[id];
        uint256 depositIndex = depositCount();
        if (indexPlusOne == 0) {
            // INVARIANT: every account key is a Baby Jubjub point of large order, so no slot of it is unprovable
            // (see BabyJubjub.sol); a bad key could otherwise block its forced exits and let anyone freeze.
            if (!BabyJubjub.isValidKey(ax, ay)) revert InvalidKey(ax, ay);
            account = _accountOwner.length;
            if (account >> TREE_DEPTH != 0) revert TreeFull(TREE_DEPTH);
            _accountOwner.push(msg.sender);
            _firstDeposit.push(depositIndex);
            _accountIndex[id] = account + 1;
            emit AccountRegistered(account, msg.sender, ax, ay);
        } else {
            account = indexPlusOne - 1;
        }
        _queueDeposit(bytes32(account), msg.value);
        uint256 previous = depositIndex == 0 ? 0 : _poseidonChain[depositIndex - 1];
        uint256 link = POSEIDON4.poseidon([previous, ax, ay, (msg.value << 32) | account]);
        _poseidonChain.push(link);
        _depositTime.push(uint64(block.timestamp));
        emit DepositLinked(depositIndex, account, link);
    }

    /// @notice The Poseidon deposit chain after the first `count` deposits (0 for none).
    function poseidonChain(uint256 count) public view returns (uint256) {
        if (count > _poseidonChain.length) revert DepositCountOutOfRange(count, _poseidonChain.length);
        return count == 0 ? 0 : _poseidonChain[count - 1];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Batches
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Posts a batch: its packed ops, the root after it and a Groth16 proof of the transition.
    /// @dev Final at once: exits become claimable, forced exits it answers are closed. Reverts with a custom error
    ///      on a bad proof, a proof of another batch or state, malformed ops, or values not reduced mod r.
    function submitBatch(
        uint256 newRoot,
        bytes calldata ops,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external returns (uint256 batchNumber) {
        if (msg.sender != OPERATOR) revert NotOperator(msg.sender, OPERATOR);
        if (frozen) revert RollupFrozen();
        // INVARIANT: one root, one encoding; the circuit's strict bit decomposition only matches a reduced value.
        if (newRoot >= SNARK_SCALAR_FIELD) revert NotInField("newRoot", newRoot);
        if (ops.length != BATCH_SIZE * ZkOps.OP_BYTES) {
            revert OpsLengthMismatch(ops.length, BATCH_SIZE * ZkOps.OP_BYTES);
        }
        batchNumber = _batchCount + 1;
        (uint256 deposits, bytes32 exitsRoot) = _processOps(ops, batchNumber);

        uint256 consumedBefore = depositsConsumed();
        // INVARIANT: the batch consumes exactly the next `deposits` queued deposits (reverts if fewer wait).
        _consumeDeposits(deposits);
        uint256 commitment = _commitment(
            newRoot,
            poseidonChain(consumedBefore),
            poseidonChain(consumedBefore + deposits),
            ops
        );
        _verify(batchNumber, commitment, a, b, c);

        uint256 oldRoot = stateRoot;
        stateRoot = newRoot;
        _batchCount = batchNumber;
        if (exitsRoot != bytes32(0)) _exitRoots[batchNumber] = exitsRoot;
        emit BatchProven(batchNumber, oldRoot, newRoot, commitment, exitsRoot, consumedBefore + deposits);
        // INVARIANT: every proven batch's data is in L1's logs, so the state can always be rebuilt for escapes.
        // gas: 8 per byte of log data, 224 at N = 2 and 3,584 at N = 32, against reading nested calls from traces.
        emit BatchData(batchNumber, ops);
    }

    /// @dev The public input, built from the STORED old root and the L1 deposit chain values (NOTE items 1 to 3).
    function _commitment(
        uint256 newRoot,
        uint256 chainBefore,
        uint256 chainAfter,
        bytes calldata ops
    ) internal view returns (uint256) {
        return ZkCommitment.compute(stateRoot, newRoot, chainBefore, chainAfter, ops);
    }

    function _verify(
        uint256 batchNumber,
        uint256 commitment,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) internal view {
        uint256[8] memory elements = [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
        for (uint256 i = 0; i < 8; ++i) {
            if (elements[i] >= BASE_FIELD) revert ProofElementNotInField(i, elements[i]);
        }
        // INVARIANT: the state moves only along a proven transition from the stored root, for this deployment.
        if (!VERIFIER.verifyProof(a, b, c, [commitment, domain()])) revert InvalidProof(batchNumber, commitment);
    }

    /// @dev Walks the slots: counts deposits, checks forced exits against the request queue, and builds the keccak
    ///      tree of exits (leaf keccak256(owner<20>|amount<32>) at the slot's position, 0 for other slots).
    function _processOps(bytes calldata ops, uint256 batchNumber) internal returns (uint256 deposits, bytes32) {
        bytes32[] memory leaves = new bytes32[](BATCH_SIZE);
        uint256 accounts = _accountOwner.length;
        bool anyExit = false;
        for (uint256 slot = 0; slot < BATCH_SIZE; ++slot) {
            ZkOps.Op memory op = ZkOps.decode(ops, slot);
            if (op.opType > ZkOps.FORCED_EXIT_REFUSED) revert UnknownOpType(slot, op.opType);
            if (op.opType == ZkOps.DEPOSIT) {
                ++deposits;
                continue;
            }
            if (op.opType == ZkOps.NOOP || op.opType == ZkOps.TRANSFER) continue;
            if (op.from >= accounts) revert UnknownAccount(slot, op.from);
            if (op.opType != ZkOps.WITHDRAW) _answerForcedExit(slot, op, batchNumber);
            if (op.opType != ZkOps.FORCED_EXIT_REFUSED) {
                leaves[slot] = keccak256(abi.encodePacked(_accountOwner[op.from], op.amount));
                anyExit = true;
            }
        }
        // A batch without exits has no exit tree (root 0: no leaf can prove membership in it).
        return (deposits, anyExit ? _merkleRoot(leaves) : bytes32(0));
    }

    /// @dev A forced-exit slot must answer the oldest open request, for its account and amount.
    function _answerForcedExit(uint256 slot, ZkOps.Op memory op, uint256 batchNumber) internal {
        uint256 requestId = _forcedExitsAnswered;
        // INVARIANT: the operator cannot invent forced exits (they need no signature): each answers a request.
        if (requestId >= _forcedExits.length) revert ForcedExitMismatch(slot, requestId, op.from, op.amount);
        ForcedExitRequest memory request = _forcedExits[requestId];
        if (request.account != op.from || request.amount != op.amount) {
            revert ForcedExitMismatch(slot, requestId, op.from, op.amount);
        }
        _forcedExitsAnswered = requestId + 1;
        emit ForcedExitAnswered(requestId, batchNumber, op.opType == ZkOps.FORCED_EXIT);
    }

    /// @dev Root of a keccak tree over `leaves` (a power of two), the layout KeccakMerkle verifies.
    function _merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
        for (uint256 width = leaves.length; width > 1; width /= 2) {
            for (uint256 i = 0; i < width / 2; ++i) {
                leaves[i] = keccak256(abi.encodePacked(leaves[2 * i], leaves[2 * i + 1]));
            }
        }
        return leaves[0];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Exits
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Pays the exit in slot `slot` of batch `batchNumber` to `owner`, with a keccak Merkle proof of it.
    /// @dev Anyone may send it; the ETH always goes to the account's owner. Works in a frozen rollup too.
    function claimWithdrawal(
        uint256 batchNumber,
        uint256 slot,
        address owner,
        uint256 amount,
        bytes32[] calldata siblings
    ) external {
        if (batchNumber == 0 || batchNumber > _batchCount) revert UnknownBatch(batchNumber, _batchCount);
        // INVARIANT: an exit is paid at most once.
        if (_claimed[batchNumber][slot]) revert AlreadyClaimed(batchNumber, slot);
        bytes32 leaf = keccak256(abi.encodePacked(owner, amount));
        if (
            slot >= BATCH_SIZE ||
            (1 << siblings.length) != BATCH_SIZE ||
            KeccakMerkle.computeRoot(leaf, slot, siblings) != _exitRoots[batchNumber]
        ) revert InvalidExitProof(batchNumber, slot, owner, amount);
        _claimed[batchNumber][slot] = true;
        emit WithdrawalClaimed(batchNumber, slot, owner, amount);
        _pay(owner, amount);
    }

    /// @notice Whether the exit in slot `slot` of batch `batchNumber` was paid.
    function isClaimed(uint256 batchNumber, uint256 slot) external view returns (bool) {
        return _claimed[batchNumber][slot];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Censorship resistance
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The owner of `account` asks L1 to exit `amount` wei; a batch must answer within FORCE_INCLUSION_DELAY.
    /// @dev Answered in request order: paid if the balance covers it, published as refused if not.
    function requestForcedExit(uint256 account, uint256 amount) external returns (uint256 requestId) {
        if (frozen) revert RollupFrozen();
        if (account >= _accountOwner.length) revert UnknownAccount(0, account);
        address owner = _accountOwner[account];
        if (msg.sender != owner) revert NotAccountOwner(account, msg.sender, owner);
        // INVARIANT: only an account already in the L2 state can be answered by a batch.
        if (account != FEE_ACCOUNT && _firstDeposit[account] >= depositsConsumed()) revert AccountNotInState(account);
        if (amount < MIN_AMOUNT) revert BelowMinimum("forced exit", amount, MIN_AMOUNT);
        if (amount == 0 || !ZkFloat.isRepresentable(amount, ZkFloat.FLOAT40_MANTISSA_BITS) || amount >> 128 != 0) {
            revert AmountNotRepresentable(amount);
        }
        requestId = _forcedExits.length;
        uint256 deadline = block.timestamp + FORCE_INCLUSION_DELAY;
        _forcedExits.push(
            ForcedExitRequest({account: uint32(account), deadline: uint64(deadline), amount: uint128(amount)})
        );
        emit ForcedExitRequested(requestId, account, owner, amount, deadline);
    }

    /// @notice Freezes the rollup once the oldest open forced-exit request is past its deadline, or the oldest
    ///         unconsumed deposit has waited longer than DEPOSIT_DEADLINE. Anyone may call.
    /// @dev A censored deposit has no L2 account to force an exit from; its deadline is what gets it back
    ///      (refundDeposit, once frozen). Deposits are consumed in order, so the oldest one waiting decides.
    function freeze() external {
        if (frozen) revert RollupFrozen();
        uint256 requestId = _forcedExitsAnswered;
        uint256 deadline = requestId < _forcedExits.length ? _forcedExits[requestId].deadline : 0;
        if (deadline != 0 && block.timestamp > deadline) {
            frozen = true;
            emit Frozen(requestId, msg.sender, stateRoot);
            return;
        }
        uint256 depositIndex = depositsConsumed();
        if (depositIndex < _depositTime.length) {
            uint256 depositDue = _depositTime[depositIndex] + DEPOSIT_DEADLINE;
            // INVARIANT: every deposit is credited in L2 or refundable on L1 after DEPOSIT_DEADLINE.
            if (block.timestamp > depositDue) {
                frozen = true;
                emit FrozenOnDeposit(depositIndex, msg.sender, stateRoot);
                return;
            }
            if (deadline == 0 || depositDue < deadline) deadline = depositDue;
        }
        revert NothingOverdue(requestId, deadline, block.timestamp);
    }

    /// @notice In a frozen rollup, pays `account`'s whole balance in the last proven state to its owner, given the
    ///         account leaf's preimage and its Poseidon Merkle path.
    function escape(
        uint256 account,
        uint256 ax,
        uint256 ay,
        uint256 balance,
        uint256 nonce,
        uint256[] calldata siblings
    ) external {
        if (!frozen) revert RollupNotFrozen();
        if (account >= _accountOwner.length) revert UnknownAccount(0, account);
        // INVARIANT: each account leaves once; its leaf is the one in the last proven root.
        if (_escaped[account]) revert AlreadyEscaped(account);
        if (siblings.length != TREE_DEPTH) revert WrongProofLength(siblings.length, TREE_DEPTH);
        if (ax >= SNARK_SCALAR_FIELD) revert NotInField("ax", ax);
        if (ay >= SNARK_SCALAR_FIELD) revert NotInField("ay", ay);
        if (balance >= SNARK_SCALAR_FIELD) revert NotInField("balance", balance);
        if (nonce >= SNARK_SCALAR_FIELD) revert NotInField("nonce", nonce);
        uint256 leaf = POSEIDON4.poseidon([ax, ay, balance, nonce]);
        uint256 root = PoseidonMerkle.computeRoot(POSEIDON2, leaf, account, siblings);
        if (root != stateRoot) revert InvalidAccountProof(account, root, stateRoot);
        _escaped[account] = true;
        address owner = _accountOwner[account];
        emit Escaped(account, owner, balance);
        _pay(owner, balance);
    }

    /// @notice In a frozen rollup, pays a deposit that no batch consumed back to its sender.
    function refundDeposit(uint256 depositIndex, address sender, uint256 account, uint256 amount) external {
        if (!frozen) revert RollupNotFrozen();
        _refundDeposit(depositIndex, sender, bytes32(account), amount);
        emit DepositRefundPaid(depositIndex, sender, amount);
        _pay(sender, amount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice This deployment's domain, [chainid<93>|address<160>] as one field element: every signed L2
    ///         operation and every batch proof carries it, so neither is valid on another chain or deployment.
    /// @dev Read from block.chainid at each use, so a chain that forks to a new chain id gets a new domain.
    function domain() public view returns (uint256) {
        return (block.chainid << 160) | uint256(uint160(address(this)));
    }

    /// @notice How many batches were proven.
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @notice The keccak root of batch `batchNumber`'s exits (bytes32(0) for a batch without exits).
    function exitRoot(uint256 batchNumber) external view returns (bytes32) {
        if (batchNumber == 0 || batchNumber > _batchCount) revert UnknownBatch(batchNumber, _batchCount);
        return _exitRoots[batchNumber];
    }

    /// @notice The account index L1 assigned to key (ax, ay) and `owner`; `exists` false if none.
    function accountOf(uint256 ax, uint256 ay, address owner) external view returns (bool exists, uint256 index) {
        uint256 indexPlusOne = _accountIndex[keccak256(abi.encode(ax, ay, owner))];
        return (indexPlusOne != 0, indexPlusOne == 0 ? 0 : indexPlusOne - 1);
    }

    /// @notice The L1 owner of account `account`.
    function accountOwner(uint256 account) external view returns (address) {
        if (account >= _accountOwner.length) revert UnknownAccount(0, account);
        return _accountOwner[account];
    }

    /// @notice How many accounts L1 assigned.
    function accountCount() external view returns (uint256) {
        return _accountOwner.length;
    }

    /// @notice Forced-exit request `requestId`.
    function forcedExit(uint256 requestId) external view returns (ForcedExitRequest memory) {
        return _forcedExits[requestId];
    }

    /// @notice Requests [0, answered) are answered; [answered, total) wait for a batch.
    function forcedExitQueue() external view returns (uint256 answered, uint256 total) {
        return (_forcedExitsAnswered, _forcedExits.length);
    }

    /// @notice Whether `account` escaped.
    function hasEscaped(uint256 account) external view returns (bool) {
        return _escaped[account];
    }

    function _pay(address to, uint256 amount) internal {
        if (amount == 0) return;
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert PayoutFailed(to, amount);
    }
}
