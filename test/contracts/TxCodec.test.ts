import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import { encodeAmount, encodeFee } from "../../src/encoding/amount";
import { encodeAccount, hashAccount } from "../../src/encoding/account";
import {
  decodeTxs,
  domainSeparator,
  encodeTx,
  escapeDigest,
  forcedWithdrawalDigest,
  signDigest,
  transferDigest,
  withdrawDigest,
} from "../../src/encoding/tx";

async function deployHarness() {
  const harness = await (await ethers.getContractFactory("TxCodecHarness")).deploy();
  return { harness, address: await harness.getAddress() };
}

const arbAmount = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 35n) - 1n }), fc.integer({ min: 0, max: 31 }))
  .map(([m, e]) => m * 10n ** BigInt(e));
const arbFee = fc
  .tuple(fc.bigInt({ min: 0n, max: 4095n }), fc.integer({ min: 0, max: 15 }))
  .map(([m, e]) => m * 10n ** BigInt(e));
const arbIndex = fc.integer({ min: 0, max: 0xffffffff });
const hex = (b: Buffer) => "0x" + b.toString("hex");

describe("# TxCodec (Solidity vs src/encoding)", function () {
  it("should decode amounts and fees exactly as TypeScript encodes them", async function () {
    const { harness } = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(arbAmount, arbFee, async (amount, fee) => {
        expect(await harness.decodeAmount(encodeAmount(amount))).to.equal(amount);
        expect(await harness.decodeFee(encodeFee(fee))).to.equal(fee);
      }),
      { numRuns: 25 },
    );
  });

  it("should pack and hash accounts exactly as TypeScript does", async function () {
    const { harness } = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(arbIndex, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), arbIndex, async (i, bal, nonce) => {
        const account = { index: i, owner: Wallet.createRandom().address, balance: bal, nonce };
        expect(await harness.encodeAccount(account)).to.equal(hex(encodeAccount(account)));
        expect(await harness.hashAccount(account)).to.equal(hex(hashAccount(account)));
      }),
      { numRuns: 15 },
    );
    const empty = { index: 1, owner: ethers.ZeroAddress, balance: 0n, nonce: 0 };
    expect(await harness.hashAccount(empty)).to.equal(ethers.ZeroHash);
  });

  it("should decode transfers, recover their signer and agree on the domain", async function () {
    const { harness, address } = await loadFixture(deployHarness);
    const domain = domainSeparator(31337n, address);
    expect(await harness.domainSeparator(31337n, address)).to.equal(hex(domain));
    await fc.assert(
      fc.asyncProperty(arbIndex, arbIndex, arbAmount, arbFee, arbIndex, async (from, to, amount, fee, nonce) => {
        const key = Wallet.createRandom();
        const fields = { from, to, amount, fee, nonce };
        const tx = {
          type: "transfer" as const,
          ...fields,
          signature: signDigest(key.signingKey, transferDigest(domain, fields)),
        };
        const data = Buffer.concat([Buffer.from([0x01, 0, 0, 0, 5]), encodeTx(tx)]);
        const [ok, txType, length] = await harness.peek(data, 5);
        expect([ok, txType, length]).to.deep.equal([true, 2n, 85n]);
        const decoded = await harness.decodeTransfer(data, 5);
        expect([decoded.from, decoded.to, decoded.amount, decoded.fee, decoded.nonce]).to.deep.equal(
          [from, to, amount, fee, nonce].map(BigInt),
        );
        expect(await harness.transferSigner(data, 5, domain)).to.equal(key.address);
        expect(decodeTxs(data)[1]).to.deep.equal(tx);
      }),
      { numRuns: 10 },
    );
  });

  it("should decode withdrawals and agree on every signed digest", async function () {
    const { harness, address } = await loadFixture(deployHarness);
    const domain = domainSeparator(31337n, address);
    const key = Wallet.createRandom();
    const fields = { from: 7, recipient: key.address, amount: 10n ** 18n, fee: 10n ** 15n, nonce: 3 };
    const data = encodeTx({
      type: "withdraw",
      ...fields,
      signature: signDigest(key.signingKey, withdrawDigest(domain, fields)),
    });
    const decoded = await harness.decodeWithdraw(data, 0);
    expect(decoded.recipient).to.equal(key.address);
    expect(decoded.amount).to.equal(fields.amount);
    expect(await harness.withdrawSigner(data, 0, domain)).to.equal(key.address);
    expect(await harness.forcedWithdrawalDigest(domain, 7, key.address, 5n, 2n)).to.equal(
      hex(forcedWithdrawalDigest(domain, 7, key.address, 5n, 2n)),
    );
    expect(await harness.escapeDigest(domain, 7, key.address)).to.equal(hex(escapeDigest(domain, 7, key.address)));
  });

  it("should report truncated and unknown transactions as not decodable", async function () {
    const { harness } = await loadFixture(deployHarness);
    expect((await harness.peek("0x0200", 0))[0]).to.equal(false);
    expect((await harness.peek("0x09", 0))[0]).to.equal(false);
    expect((await harness.peek("0x04", 0))[0]).to.equal(true);
  });
});
