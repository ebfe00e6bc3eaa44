/**
 * Measures blob posting of the optimistic rollup at 2,048 transfers: L1 execution gas of submitBlobBatch per
 * transfer, and blob gas per transfer (131,072 per blob). Prints figures, asserts nothing.
 *   npx hardhat run scripts/measure-blob-posting.ts
 */
import hre from "hardhat";
import { Wallet, parseEther } from "ethers";
import { deployOptimistic } from "./deploy-optimistic";
import { Operator } from "../src/optimistic/operator";
import { BlobArchive } from "../src/optimistic/blob-archive";
import { signTransfer } from "../src/optimistic/client";
import { loadKzg } from "../src/encoding/kzg";
import { BLOB_GAS_PER_BLOB, hardhatWallet } from "../src/bench/blobs";

const TRANSFERS = 2048;
const SENDERS = 16;

async function main(): Promise<void> {
  const { ethers } = hre;
  const [opSigner, ...users] = await ethers.getSigners();
  const { rollup, params } = await deployOptimistic(hre, opSigner, { batchSize: TRANSFERS, chunkSize: 32 });
  const kzg = await loadKzg();
  const archive = new BlobArchive(kzg, (method, p) => hre.network.provider.request({ method, params: p }));
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const operator = new Operator(rollup, opSigner, Wallet.createRandom().address, params, domain, undefined, undefined, {
    wallet: hardhatWallet(hre, 0, ethers.provider),
    archive,
    kzg,
  });
  const keys = Array.from({ length: SENDERS }, (_, i) => new Wallet(ethers.id(`blob measure ${i}`)));
  for (let i = 0; i < SENDERS; i++) {
    await (await rollup.connect(users[i]).deposit(keys[i].address, { value: parseEther("10") })).wait();
  }
  await operator.postPending();
  const accounts = keys.map((k) => operator.state.findAccount(k.address)!);
  const nonces = new Array<number>(SENDERS).fill(0);
  process.stderr.write(`signing ${TRANSFERS} transfers\n`);
  for (let t = 0; t < TRANSFERS; t++) {
    const from = t % SENDERS;
    operator.pending.push(
      signTransfer(domain, keys[from].signingKey, {
        from: accounts[from],
        to: accounts[(from + 1) % SENDERS],
        amount: 1000n,
        fee: 1n,
        nonce: nonces[from]++,
      }),
    );
  }
  process.stderr.write("posting\n");
  const { receipts } = await operator.postPending();
  const receipt = receipts[receipts.length - 1];
  const raw = (await ethers.provider.send("eth_getTransactionByHash", [receipt.hash])) as {
    blobVersionedHashes: string[];
    input: string;
  };
  const block = (await ethers.provider.send("eth_getBlockByNumber", [receipt.blockNumber, false])) as {
    blobGasUsed?: string;
  };
  const blobs = raw.blobVersionedHashes.length;
  const bytes = TRANSFERS * 85;
  console.log(`transfers: ${TRANSFERS} (${bytes} bytes of txs), chunks of 32, blobs: ${blobs}`);
  console.log(
    `submitBlobBatch execution gas: ${receipt.gasUsed} (${Number(receipt.gasUsed) / TRANSFERS} per transfer)`,
  );
  console.log(`calldata: ${(raw.input.length - 2) / 2} bytes`);
  console.log(
    `blob gas: ${blobs * BLOB_GAS_PER_BLOB} (block header: ${block.blobGasUsed}), ${(blobs * BLOB_GAS_PER_BLOB) / TRANSFERS} per transfer; bytes per transfer 85`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
