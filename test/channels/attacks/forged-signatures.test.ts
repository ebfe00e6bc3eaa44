/**
 * Attack: a third party (or the other side) turns valid signatures into ones
 * L1 might also take: the high-s twin of a signature (EIP-2), v as 0/1, the
 * 64-byte compact form (EIP-2098), an all-zero signature (ecrecover gives
 * address(0)), and a revocation signed by the side that did not close, or of
 * a nonce no state has reached. Every call is raw calldata from the attacker's
 * account; none of them may move the channel.
 */
import { expect } from "chai";
import { concat, Signature, toBeHex, zeroPadValue } from "ethers";
import { DigestSigner } from "../../../src/channels/crypto";
import { payDirect } from "../../../src/channels/payments";
import { domainSeparator, hashRevocation, typedDigest } from "../../../src/channels/state";
import { ETH, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Every other encoding of the same (r, s, v), and the zero signature. */
function variants(serialized: string): string[] {
  const sig = Signature.from(serialized);
  const r = sig.r;
  const s = sig.s;
  const highS = zeroPadValue(toBeHex(ORDER - BigInt(s)), 32);
  const flipped = sig.v === 27 ? 28 : 27;
  return [
    concat([r, highS, toBeHex(flipped, 1)]), // the malleable twin
    concat([r, s, toBeHex(sig.v - 27, 1)]), // v as 0 or 1
    sig.compactSerialized, // EIP-2098, 64 bytes
    "0x" + "00".repeat(65), // ecrecover → address(0)
  ];
}

describe("attack: forged-signatures", function () {
  it("should refuse every re-encoded or zero signature, and a revocation not signed by the closer", async function () {
    const f = await load(openFixture);
    const signed = payDirect(f.network, "alice", "bob", ETH / 10n); // state #1
    const c = f.contract;
    for (const sigA of variants(signed.signatureA)) {
      await expect(
        c.connect(f.alice).close(f.channelId, f.parties, signed.state, sigA, signed.signatureB),
      ).to.be.revertedWithCustomError(c, "InvalidSignature");
    }
    for (const sigB of variants(signed.signatureB)) {
      await expect(
        c.connect(f.alice).close(f.channelId, f.parties, signed.state, signed.signatureA, sigB),
      ).to.be.revertedWithCustomError(c, "InvalidSignature");
    }

    // Bob closes honestly on #1. Alice tries a penalty with revocations that are not bob's: her own, of a nonce
    // far beyond any state, and the re-encodings of a real one (bob never revoked #1).
    await f.l1.close(f.bob, f.channelId, f.parties, signed);
    const domain = domainSeparator(f.domain);
    const aliceKey = new DigestSigner(l2Key("alice").privateKey);
    const hers = (nonce: bigint) => aliceKey.sign(typedDigest(domain, hashRevocation(f.channelId, nonce)));
    const attempts = [
      { nonce: 1n, signature: hers(1n) },
      { nonce: 2n ** 64n - 1n, signature: hers(2n ** 64n - 1n) },
      ...variants(hers(1n)).map((signature) => ({ nonce: 1n, signature })),
    ];
    for (const revocation of attempts) {
      await expect(
        c.connect(f.alice).dispute(f.channelId, f.parties, signed.state, signed.state, "0x", "0x", revocation),
      ).to.be.revertedWithCustomError(c, "InvalidSignature");
    }
    expect(await f.l1.status(f.channelId)).to.equal("closing");
    await expectSolvent(c);
  });
});
