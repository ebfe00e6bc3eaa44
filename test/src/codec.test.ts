import { expect } from "chai";
import fc from "fast-check";
import { SigningKey, TypedDataEncoder, Wallet, parseEther } from "ethers";
import {
  AmountEncodingError,
  decodeAmount,
  decodeFee,
  encodeAmount,
  encodeFee,
  isEncodableAmount,
} from "../../src/encoding/amount";
import { decodeAccount, encodeAccount, hashAccount, emptyAccount } from "../../src/encoding/account";
import {
  DOMAIN_NAME,
  DOMAIN_VERSION,
  EIP712_TYPES,
  L2Tx,
  TxDecodeError,
  decodeTxs,
  domainSeparator,
  encodeTxs,
  recoverSigner,
  signDigest,
  transferDigest,
  withdrawDigest,
} from "../../src/encoding/tx";

const ROLLUP = "0x5fbdb2315678afecb367f0512d3bae0f8bc5a0ae";
const arbAmount = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 35n) - 1n }), fc.integer({ min: 0, max: 31 }))
  .map(([m, e]) => m * 10n ** BigInt(e));
const arbFee = fc
  .tuple(fc.bigInt({ min: 0n, max: 4095n }), fc.integer({ min: 0, max: 15 }))
  .map(([m, e]) => m * 10n ** BigInt(e));
const arbIndex = fc.integer({ min: 0, max: 0xffffffff });
const arbSig = fc.uint8Array({ minLength: 65, maxLength: 65 }).map((b) => "0x" + Buffer.from(b).toString("hex"));
const arbAddress = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => "0x" + Buffer.from(b).toString("hex"));
export const arbTx: fc.Arbitrary<L2Tx> = fc.oneof(
  fc.record({ type: fc.constant("deposit" as const), to: arbIndex }),
  fc.record({
    type: fc.constant("transfer" as const),
    from: arbIndex,
    to: arbIndex,
    amount: arbAmount,
    fee: arbFee,
    nonce: arbIndex,
    signature: arbSig,
  }),
  fc.record({
    type: fc.constant("withdraw" as const),
    from: arbIndex,
    recipient: arbAddress,
    amount: arbAmount,
    fee: arbFee,
    nonce: arbIndex,
    signature: arbSig,
  }),
  fc.record({ type: fc.constant("forced-exit" as const) }),
);

function normalise(tx: L2Tx): L2Tx {
  if (tx.type === "withdraw") return { ...tx, recipient: tx.recipient.toLowerCase() };
  return tx;
}

describe("# encodeAmount", function () {
  it("should round-trip every encodable amount", function () {
    fc.assert(fc.property(arbAmount, (v) => decodeAmount(encodeAmount(v)) === v));
  });

  it("should round-trip every scenario amount with up to 10 significant digits", function () {
    for (const eth of ["1", "0.25", "0.001", "100", "3.99", "0.000000000000000001", "1234567.891"]) {
      expect(decodeAmount(encodeAmount(parseEther(eth)))).to.equal(parseEther(eth));
    }
  });

  it("should refuse an amount with more than 10 significant digits, naming it", function () {
    const value = parseEther("1.000000000000000001");
    expect(() => encodeAmount(value)).to.throw(AmountEncodingError, value.toString());
    expect(isEncodableAmount(value)).to.equal(false);
  });

  it("should round-trip fees and refuse fees with more than 4 significant digits", function () {
    fc.assert(fc.property(arbFee, (v) => decodeFee(encodeFee(v)) === v));
    expect(() => encodeFee(parseEther("0.12345"))).to.throw(AmountEncodingError, "fee");
  });
});

describe("# encodeAccount", function () {
  it("should round-trip accounts and give the empty account the zero leaf", function () {
    fc.assert(
      fc.property(arbIndex, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), arbIndex, (index, balance, nonce) => {
        const account = { index, owner: Wallet.createRandom().address, balance, nonce };
        const back = decodeAccount(encodeAccount(account));
        return back.owner === account.owner && back.balance === balance && back.nonce === nonce;
      }),
      { numRuns: 50 },
    );
    expect(hashAccount(emptyAccount(7)).equals(Buffer.alloc(32))).to.equal(true);
  });
});

describe("# encodeTxs", function () {
  it("should round-trip any list of transactions", function () {
    fc.assert(
      fc.property(fc.array(arbTx, { maxLength: 20 }), (txs) => {
        expect(decodeTxs(encodeTxs(txs)).map(normalise)).to.deep.equal(txs.map(normalise));
      }),
      { numRuns: 100 },
    );
  });

  it("should refuse truncated data and unknown types, naming the byte", function () {
    fc.assert(
      fc.property(fc.array(arbTx, { minLength: 1, maxLength: 8 }), (txs) => {
        const bytes = encodeTxs(txs);
        const last = bytes.length - 1;
        if (txs[txs.length - 1].type === "forced-exit") return;
        expect(() => decodeTxs(bytes.subarray(0, last))).to.throw(TxDecodeError, "truncated");
      }),
      { numRuns: 50 },
    );
    expect(() => decodeTxs(Buffer.from([0x09]))).to.throw(TxDecodeError, "byte 0: unknown type byte 0x9");
  });
});

describe("# transferDigest", function () {
  const domain = { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId: 31337n, verifyingContract: ROLLUP };

  it("should equal the EIP-712 hash ethers computes, and recover the signer", function () {
    const key = new SigningKey(Wallet.createRandom().privateKey);
    const ds = domainSeparator(31337n, ROLLUP);
    expect("0x" + ds.toString("hex")).to.equal(TypedDataEncoder.hashDomain(domain));
    const t = { from: 3, to: 9, amount: parseEther("1.5"), fee: parseEther("0.001"), nonce: 4 };
    const digest = transferDigest(ds, t);
    expect("0x" + digest.toString("hex")).to.equal(
      TypedDataEncoder.hash(domain, { Transfer: [...EIP712_TYPES.Transfer] }, t),
    );
    expect(recoverSigner(digest, signDigest(key, digest))).to.equal(new Wallet(key).address.toLowerCase());
  });

  it("should recover the L2 key's address and nothing for a tampered digest", function () {
    const wallet = Wallet.createRandom();
    const ds = domainSeparator(31337n, ROLLUP);
    const w = { from: 1, recipient: wallet.address, amount: 10n ** 18n, fee: 0n, nonce: 0 };
    const digest = withdrawDigest(ds, w);
    const sig = signDigest(wallet.signingKey, digest);
    expect(recoverSigner(digest, sig)).to.equal(wallet.address.toLowerCase());
    expect(recoverSigner(withdrawDigest(ds, { ...w, nonce: 1 }), sig)).to.not.equal(wallet.address.toLowerCase());
  });
});
