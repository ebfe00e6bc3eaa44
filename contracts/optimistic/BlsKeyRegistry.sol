// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Bls12381} from "../libraries/Bls12381.sol";
import {BlsCodec} from "../libraries/BlsCodec.sol";
import {TxCodec} from "../libraries/TxCodec.sol";

/// @title BlsKeyRegistry
/// @notice The BLS12-381 public keys (G2) of one BLS rollup's L2 account owners, registered on L1 once per owner with
///         a proof of possession, and the aggregate check a fraud proof of that rollup runs against them.
/// @dev Its own contract (deployed by BlsOptimisticRollup's constructor) because the rollup has no code size left
///      under EIP-170's 24,576 bytes for the BLS arithmetic.
/// @dev Aggregate verification adds the keys' pairings together, so a key chosen as a function of other keys (a
///      rogue key, pk_attacker = pk' - pk_victim) would let one signature stand for messages its victim never
///      signed. A key is accepted only with a signature by its own secret key over (key, owner) under a DST of its
///      own (the proof of possession), which nobody can produce for a rogue key. The owner's L2 (ECDSA) key signs
///      the registration too, so nobody can attach a key of theirs to someone else's accounts.
contract BlsKeyRegistry {
    /// @notice The rollup whose transfers and proofs of possession these keys sign (it is in their DSTs).
    address public immutable ROLLUP;
    /// @notice The rollup's EIP-712 domain separator, which owners' registration signatures use.
    bytes32 public immutable DOMAIN_SEPARATOR;
    /// @dev Words of one pairing pair: G1<128> | G2<256>.
    uint256 private constant PAIR_WORDS = 12;
    bytes32 internal constant BLS_KEY_TYPEHASH = keccak256("BlsKey(bytes32 keyHash)");

    /// @dev Each owner's key, EIP-2537 encoded (8 words); all zeros: none.
    mapping(address owner => bytes32[8] key) internal _blsKeys;

    /// @notice `owner` registered `key` (EIP-2537 G2 encoding, keccak256 `keyHash`).
    event BlsKeyRegistered(address indexed owner, bytes32 indexed keyHash, bytes key);

    /// @notice The owner's L2 signature over the key does not recover to an address.
    error InvalidOwnerSignature();
    /// @notice `owner` already has a key (keys are set once: see docs/optimistic.md).
    error BlsKeyAlreadyRegistered(address owner);
    /// @notice The key is not 256 bytes of field elements on the G2 curve.
    error BlsKeyNotOnCurve(bytes32 keyHash);
    /// @notice The key is on the curve but outside the prime-order subgroup.
    error BlsKeyNotInSubgroup(bytes32 keyHash);
    /// @notice The key is the point at infinity, for which every signature verifies.
    error BlsKeyIsInfinity();
    /// @notice The proof of possession does not verify for this key and owner (or is not a G1 point).
    error BadPossessionProof(address owner, bytes32 keyHash);
    /// @notice verifyAggregate got arrays of different lengths.
    error LengthMismatch(uint256 owners, uint256 messages);

    constructor(address rollup, bytes32 domainSeparator) {
        ROLLUP = rollup;
        DOMAIN_SEPARATOR = domainSeparator;
    }

    /// @notice Registers the BLS key of the L2 key that signs `ownerSignature`: anyone may send it.
    /// @param key the public key, EIP-2537 G2 encoding (256 bytes)
    /// @param possessionProof the key's signature of BlsCodec.possessionMessage(key, owner) under the PoP tag,
    ///        compact G1 (96 bytes)
    /// @param ownerSignature the owner's L2 signature [r|s|v] of blsKeyDigest(keccak256(key))
    /// @dev gas: about 200,000 (a G2ADD, a G2MSM, a two-pair pairing check, a hash to G1 and eight storage words).
    function registerBlsKey(
        bytes calldata key,
        bytes calldata possessionProof,
        bytes calldata ownerSignature
    ) external {
        bytes32 keyHash = keccak256(key);
        address owner = TxCodec.recover(blsKeyDigest(keyHash), _ecdsa(ownerSignature));
        if (owner == address(0)) revert InvalidOwnerSignature();
        if (hasBlsKey(owner)) revert BlsKeyAlreadyRegistered(owner);
        if (!Bls12381.isOnCurveG2(key)) revert BlsKeyNotOnCurve(keyHash);
        if (_isZero(key)) revert BlsKeyIsInfinity();
        if (!Bls12381.isInSubgroupG2(key)) revert BlsKeyNotInSubgroup(keyHash);
        if (possessionProof.length != BlsCodec.SIGNATURE_LENGTH) revert BadPossessionProof(owner, keyHash);
        // INVARIANT: a key counts in aggregate checks only with a proof that its owner holds its secret key.
        bytes memory message = BlsCodec.possessionMessage(key, owner);
        bytes memory dst = BlsCodec.domainTag(BlsCodec.POP_TAG, block.chainid, ROLLUP);
        (bool valid, bool holds) = Bls12381.pairingCheck(
            abi.encodePacked(
                Bls12381.padG1(possessionProof),
                Bls12381.NEGATED_G2_GENERATOR,
                Bls12381.hashToG1(message, dst),
                key
            )
        );
        if (!valid || !holds) revert BadPossessionProof(owner, keyHash);
        _blsKeys[owner] = abi.decode(key, (bytes32[8]));
        emit BlsKeyRegistered(owner, keyHash, key);
    }

    /// @notice Whether `owner` has a registered key.
    function hasBlsKey(address owner) public view returns (bool) {
        bytes32[8] storage key = _blsKeys[owner];
        for (uint256 i = 0; i < 8; ++i) if (key[i] != 0) return true;
        return false;
    }

    /// @notice The key of `owner`, EIP-2537 encoded (all zeros: none).
    function blsKeyOf(address owner) external view returns (bytes memory) {
        return abi.encodePacked(_blsKeys[owner]);
    }

    /// @notice The digest an owner's L2 key signs to register the BLS key of hash `keyHash` (EIP-712 style).
    function blsKeyDigest(bytes32 keyHash) public view returns (bytes32) {
        return
            keccak256(abi.encodePacked(hex"1901", DOMAIN_SEPARATOR, keccak256(abi.encode(BLS_KEY_TYPEHASH, keyHash))));
    }

    /// @notice Whether a BLS chunk's aggregate signature verifies, given the owner and nonce of every account witness
    ///         its fault-free execution consumed, in order (a fraud proof of the rollup calls this).
    /// @dev Each tx consumed its witnesses as in ChunkExecutor: deposit, withdraw, forced exit, register one;
    ///      transfer and BLS transfer two, the sender's first. Message i is BlsCodec.transferMessage of the i-th BLS
    ///      transfer at its sender witness's nonce; its key is the sender witness's owner's.
    function checkChunk(
        bytes calldata chunk,
        address[] calldata witnessOwners,
        uint32[] calldata witnessNonces
    ) external view returns (bool) {
        if (chunk.length < BlsCodec.SIGNATURE_LENGTH) return false;
        uint256 count = 0;
        for (uint256 offset = BlsCodec.SIGNATURE_LENGTH; offset < chunk.length; offset += _txLength(chunk[offset])) {
            if (uint8(chunk[offset]) == BlsCodec.TYPE_BLS_TRANSFER) ++count;
        }
        address[] memory owners = new address[](count);
        bytes[] memory messages = new bytes[](count);
        uint256 witness = 0;
        uint256 k = 0;
        for (uint256 offset = BlsCodec.SIGNATURE_LENGTH; offset < chunk.length; offset += _txLength(chunk[offset])) {
            uint8 txType = uint8(chunk[offset]);
            if (txType == BlsCodec.TYPE_BLS_TRANSFER) {
                owners[k] = witnessOwners[witness];
                messages[k++] = BlsCodec.transferMessage(
                    BlsCodec.decodeTransfer(chunk, offset),
                    witnessNonces[witness]
                );
            }
            witness += txType == TxCodec.TYPE_TRANSFER || txType == BlsCodec.TYPE_BLS_TRANSFER ? 2 : 1;
        }
        (bool keysKnown, bool valid, bool holds) = _verify(chunk[0:BlsCodec.SIGNATURE_LENGTH], owners, messages);
        return keysKnown && valid && holds;
    }

    /// @notice Aggregate verification of `signature` (compact G1, 96 bytes) over `messages`, message i signed by the
    ///         key of `owners[i]`: e(signature, -g2) * prod_i e(H(m_i), pk_i) == 1, with H under the rollup's
    ///         transfer DST. `keysKnown` is false when some owner has no key; `valid` false when the signature is
    ///         not a G1 point of the subgroup.
    /// @dev One pairing call over preallocated words (no quadratic memory growth); keys were checked at
    ///      registration and hashes come from the map precompile, so an invalid pairing input is the signature's.
    function verifyAggregate(
        bytes calldata signature,
        address[] calldata owners,
        bytes[] calldata messages
    ) external view returns (bool keysKnown, bool valid, bool holds) {
        if (owners.length != messages.length) revert LengthMismatch(owners.length, messages.length);
        if (signature.length != BlsCodec.SIGNATURE_LENGTH) return (true, false, false);
        return _verify(signature, owners, messages);
    }

    function _verify(
        bytes calldata signature,
        address[] memory owners,
        bytes[] memory messages
    ) private view returns (bool keysKnown, bool valid, bool holds) {
        bytes32[] memory words = new bytes32[](PAIR_WORDS * (owners.length + 1));
        _putWords(words, 0, Bls12381.padG1(signature));
        _putWords(words, 4, Bls12381.NEGATED_G2_GENERATOR);
        bytes memory dst = BlsCodec.domainTag(BlsCodec.TX_TAG, block.chainid, ROLLUP);
        for (uint256 k = 0; k < owners.length; ++k) {
            uint256 at = PAIR_WORDS * (k + 1);
            bytes32[8] storage key = _blsKeys[owners[k]];
            bool hasKey = false;
            for (uint256 i = 0; i < 8; ++i) {
                words[at + 4 + i] = key[i];
                hasKey = hasKey || key[i] != 0;
            }
            if (!hasKey) return (false, false, false);
            _putWords(words, at, Bls12381.hashToG1(messages[k], dst));
        }
        (valid, holds) = Bls12381.pairingCheck(abi.encodePacked(words));
        keysKnown = true;
    }

    /// @dev Copies `data` (a multiple of 32 bytes) into `words` from word `at`.
    function _putWords(bytes32[] memory words, uint256 at, bytes memory data) private pure {
        for (uint256 i = 0; i < data.length / 32; ++i) {
            bytes32 word;
            // gas: one 32-byte read instead of 32 single-byte reads (the data of a `bytes` follows its length word).
            // solhint-disable-next-line no-inline-assembly
            assembly {
                word := mload(add(add(data, 32), mul(i, 32)))
            }
            words[at + i] = word;
        }
    }

    function _txLength(bytes1 txType) private pure returns (uint256) {
        uint8 t = uint8(txType);
        return t == BlsCodec.TYPE_BLS_TRANSFER ? BlsCodec.BLS_TRANSFER_LENGTH : TxCodec.txLength(t);
    }

    function _isZero(bytes calldata data) private pure returns (bool) {
        for (uint256 i = 0; i < data.length; i += 32) if (bytes32(data[i:i + 32]) != 0) return false;
        return true;
    }

    function _ecdsa(bytes calldata sig) private pure returns (TxCodec.Signature memory s) {
        if (sig.length != 65) return s;
        s.r = bytes32(sig[0:32]);
        s.s = bytes32(sig[32:64]);
        s.v = uint8(sig[64]);
    }
}
