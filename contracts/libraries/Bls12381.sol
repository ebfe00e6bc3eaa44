// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Bls12381
/// @notice BLS12-381 hashing to G1 and pairing checks on the EIP-2537 precompiles, for the optimistic rollup's BLS
///         variant (min-sig: signatures and message hashes in G1, public keys in G2).
/// @dev Encodings are EIP-2537's: Fp<64> = 16 zero bytes | 48-byte big-endian value; G1<128> = x|y;
///      Fp2<128> = c0|c1; G2<256> = x|y; all zeros is the point at infinity. Hashing follows RFC 9380
///      (BLS12381G1_XMD:SHA-256_SSWU_RO_): expand_message_xmd with SHA-256 (precompile 0x02) to 128 bytes, two
///      field elements reduced mod p (modexp, 0x05), each mapped by MAP_FP_TO_G1 (0x10, which also clears the
///      cofactor), and their sum (G1ADD, 0x0b): clearing the cofactor is a group homomorphism, so the sum of the
///      cleared maps is RFC 9380's clear_cofactor(map(u0) + map(u1)). Mirrored in src/encoding/bls.ts, and checked
///      against the noble-curves library in test/contracts/Bls12381.test.ts.
library Bls12381 {
    address internal constant G1ADD = address(0x0b);
    address internal constant G1MSM = address(0x0c);
    address internal constant G2ADD = address(0x0d);
    address internal constant G2MSM = address(0x0e);
    address internal constant PAIRING = address(0x0f);
    address internal constant MAP_FP_TO_G1 = address(0x10);
    address internal constant MODEXP = address(0x05);

    uint256 internal constant G1_BYTES = 128;
    uint256 internal constant G2_BYTES = 256;
    /// @dev EIP-2537 prices: the pairing check costs PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS per pair.
    uint256 internal constant PAIRING_BASE_GAS = 37_700;
    uint256 internal constant PAIRING_PER_PAIR_GAS = 32_600;

    /// @dev The base field modulus p, 48 bytes big-endian.
    bytes internal constant FIELD_MODULUS =
        hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";

    /// @dev -g2, the negated G2 generator, EIP-2537 encoded (x is g2's, y is p - g2.y coordinate-wise).
    bytes internal constant NEGATED_G2_GENERATOR =
        hex"00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        hex"0000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
        hex"000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa"
        hex"0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed";

    /// @notice RFC 9380 hash_to_curve(message) to G1 under `dst` (at most 255 bytes), EIP-2537 encoded.
    /// @dev gas: about 13,000 (four SHA-256 calls, two modexp, two maps at 5,500 and one G1ADD at 375).
    function hashToG1(bytes memory message, bytes memory dst) internal view returns (bytes memory) {
        (bytes memory u0, bytes memory u1) = _hashToField(message, dst);
        bytes memory q0 = _call(MAP_FP_TO_G1, u0);
        bytes memory q1 = _call(MAP_FP_TO_G1, u1);
        return _call(G1ADD, abi.encodePacked(q0, q1));
    }

    /// @notice Whether `point` is an EIP-2537 G2 encoding of a point on the curve (no subgroup check).
    /// @dev G2ADD checks field ranges and the curve equation, not the subgroup (600 gas).
    function isOnCurveG2(bytes memory point) internal view returns (bool) {
        if (point.length != G2_BYTES) return false;
        (bool ok, ) = G2ADD.staticcall(abi.encodePacked(point, new bytes(G2_BYTES)));
        return ok;
    }

    /// @notice Whether `point` (on the curve) lies in the prime-order subgroup.
    /// @dev G2MSM checks the subgroup of its points (22,500 gas for one pair).
    function isInSubgroupG2(bytes memory point) internal view returns (bool) {
        if (point.length != G2_BYTES) return false;
        (bool ok, ) = G2MSM.staticcall(abi.encodePacked(point, uint256(1)));
        return ok;
    }

    /// @notice The pairing check over `pairs` (concatenated G1<128>|G2<256> pairs): whether the product of the
    ///         pairings is 1; `valid` is false when some point is not in its subgroup (or off the curve).
    /// @dev The precompile gets exactly its price (EIP-2537) and the caller is refused with InsufficientGas below
    ///      it: so a failed call means a bad point, never a call starved of gas by its sender (EIP-150's 63/64).
    function pairingCheck(bytes memory pairs) internal view returns (bool valid, bool holds) {
        uint256 price = PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS * (pairs.length / (G1_BYTES + G2_BYTES));
        if (gasleft() < price + price / 32 + 5_000) revert InsufficientGas(gasleft(), price);
        (bool ok, bytes memory out) = PAIRING.staticcall{gas: price}(pairs);
        if (!ok || out.length != 32) return (false, false);
        return (true, abi.decode(out, (uint256)) == 1);
    }

    /// @notice The EIP-2537 encoding of a compact G1 point x<48>|y<48>: each coordinate padded to 64 bytes.
    function padG1(bytes calldata compact) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes16(0), compact[0:48], bytes16(0), compact[48:96]);
    }

    /// @notice The precompile ran out of gas or the sender left too little for the pairing check.
    error InsufficientGas(uint256 available, uint256 required);
    /// @notice A precompile refused input this library built itself (it cannot happen with a correct build).
    error PrecompileFailed(address precompile);

    /// @dev expand_message_xmd(message, dst, 128) split into two 64-byte strings, each reduced mod p and padded to
    ///      an EIP-2537 field element.
    function _hashToField(
        bytes memory message,
        bytes memory dst
    ) private view returns (bytes memory u0, bytes memory u1) {
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // b_0 = H(Z_pad<64> | msg | l_i_b_str<2> = 128 | I2OSP(0, 1) | DST_prime)
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(128), uint8(0), dstPrime));
        bytes32 b1 = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        bytes32 b2 = sha256(abi.encodePacked(b0 ^ b1, uint8(2), dstPrime));
        bytes32 b3 = sha256(abi.encodePacked(b0 ^ b2, uint8(3), dstPrime));
        bytes32 b4 = sha256(abi.encodePacked(b0 ^ b3, uint8(4), dstPrime));
        u0 = _reduce(b1, b2);
        u1 = _reduce(b3, b4);
    }

    /// @dev (high|low) mod p as a 64-byte EIP-2537 field element, by modexp with exponent 1.
    function _reduce(bytes32 high, bytes32 low) private view returns (bytes memory) {
        bytes memory input = abi.encodePacked(uint256(64), uint256(1), uint256(48), high, low, uint8(1), FIELD_MODULUS);
        return abi.encodePacked(bytes16(0), _call(MODEXP, input));
    }

    function _call(address precompile, bytes memory input) private view returns (bytes memory out) {
        bool ok;
        (ok, out) = precompile.staticcall(input);
        if (!ok) revert PrecompileFailed(precompile);
    }
}
