import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { JsonRpcProvider, hexlify } from "ethers";
import { ArchiveClient, BlobArchive, serveArchive } from "../../src/optimistic/blob-archive";
import { ethersKzg, loadKzg } from "../../src/encoding/kzg";
import { encodeBlobs, versionedHash } from "../../src/encoding/blob";
import { hardhatWallet } from "../../src/bench/blobs";

describe("# blob archive over HTTP", function () {
  it("should take a blob transaction on its JSON-RPC endpoint, forward it and serve its blob by versioned hash", async function () {
    const kzg = await loadKzg();
    const archive = new BlobArchive(kzg, (method, params) => hre.network.provider.request({ method, params }));
    const { server, url } = await serveArchive(archive);
    try {
      const endpoint = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
      expect(await endpoint.getBlockNumber()).to.equal(await ethers.provider.getBlockNumber());
      const wallet = hardhatWallet(hre, 39, ethers.provider).connect(endpoint);
      const [blob] = encodeBlobs([new Uint8Array(100).fill(42)]);
      const tx = await wallet.sendTransaction({
        type: 3,
        to: wallet.address,
        blobs: [blob],
        kzg: ethersKzg(kzg),
        gasLimit: 21_000n,
        maxFeePerBlobGas: 10n ** 12n,
      });
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      expect(receipt?.status).to.equal(1);
      const hash = hexlify(versionedHash(kzg.blobToKzgCommitment(blob)));
      const fetched = await new ArchiveClient(url).getBlob(hash);
      expect(fetched && hexlify(fetched)).to.equal(hexlify(blob));
      expect(await new ArchiveClient(url).getBlob("0x01" + "00".repeat(31))).to.equal(undefined);
      endpoint.destroy();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
