/**
 * The blob archive: what stands in for the consensus layer's blob availability on a local chain. The node
 * (Hardhat) mines type-3 transactions and exposes their versioned hashes, but serves no blob contents, so whoever
 * checks a blob batch later needs a copy of its blobs from elsewhere.
 *
 * The archive sits in front of the node as its public JSON-RPC endpoint. It takes a blob transaction
 * (eth_sendRawTransaction with the sidecar) only after storing every blob and checking it against its commitment
 * (recomputed from the blob) and the commitment against the versioned hash the transaction signs; then it
 * forwards the transaction to the node. Any other method goes to the node unchanged. Readers fetch blobs by
 * versioned hash (`archive_getBlob`, or GET /blobs/<versioned hash>). The watcher reads blobs only from here,
 * never from the operator. See docs/optimistic.md for what this emulates and what it does not.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { Transaction, hexlify } from "ethers";
import type { Kzg } from "../encoding/kzg";
import { BYTES_PER_BLOB, versionedHash } from "../encoding/blob";

export type Upstream = (method: string, params: unknown[]) => Promise<unknown>;

/** Where readers get blobs: an archive in this process, or one over HTTP (ArchiveClient). */
export interface BlobSource {
  getBlob(versionedHash: string): Promise<Uint8Array | undefined>;
}

export class ArchiveRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveRefusal";
  }
}

export class BlobArchive implements BlobSource {
  private readonly blobs = new Map<string, Uint8Array>();

  constructor(
    private readonly kzg: Kzg,
    private readonly upstream: Upstream,
  ) {}

  /** How many distinct blobs the archive holds. */
  get size(): number {
    return this.blobs.size;
  }

  async getBlob(hash: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(hash.toLowerCase());
  }

  /**
   * Stores and checks a blob transaction's blobs, then forwards it to the node. Refuses a type-3 transaction
   * without its sidecar, or whose blobs do not give the commitments and versioned hashes it carries.
   */
  async sendRawTransaction(raw: string): Promise<string> {
    const tx = Transaction.from(raw);
    if (tx.type === 3) {
      const hashes = tx.blobVersionedHashes ?? [];
      const sidecar = tx.blobs ?? [];
      if (sidecar.length === 0) throw new ArchiveRefusal(`blob transaction ${tx.hash}: no blobs in the sidecar`);
      if (sidecar.length !== hashes.length) {
        throw new ArchiveRefusal(`blob transaction ${tx.hash}: ${sidecar.length} blobs for ${hashes.length} hashes`);
      }
      const checked = sidecar.map((entry, i) => {
        const blob = new Uint8Array(Buffer.from(hexlify(entry.data).slice(2), "hex"));
        if (blob.length !== BYTES_PER_BLOB) throw new ArchiveRefusal(`blob ${i}: ${blob.length} bytes`);
        const commitment = this.kzg.blobToKzgCommitment(blob);
        if (hexlify(commitment) !== hexlify(entry.commitment)) {
          throw new ArchiveRefusal(`blob transaction ${tx.hash}: blob ${i} does not give its commitment`);
        }
        const hash = hexlify(versionedHash(commitment));
        if (hash !== hashes[i].toLowerCase()) {
          throw new ArchiveRefusal(`blob transaction ${tx.hash}: blob ${i}'s commitment is not versioned hash ${i}`);
        }
        return { hash, blob };
      });
      for (const { hash, blob } of checked) this.blobs.set(hash, blob);
    }
    return (await this.upstream("eth_sendRawTransaction", [raw])) as string;
  }

  /** One JSON-RPC request as the devnet's public endpoint answers it. */
  async request(method: string, params: unknown[] = []): Promise<unknown> {
    if (method === "eth_sendRawTransaction") return this.sendRawTransaction(String(params[0]));
    if (method === "archive_getBlob") {
      const blob = await this.getBlob(String(params[0]));
      return blob ? hexlify(blob) : null;
    }
    return this.upstream(method, params);
  }
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    request.on("error", reject);
  });
}

interface RpcCall {
  id?: unknown;
  method: string;
  params?: unknown[];
}

async function answer(archive: BlobArchive, call: RpcCall): Promise<object> {
  try {
    return { jsonrpc: "2.0", id: call.id ?? null, result: await archive.request(call.method, call.params ?? []) };
  } catch (error) {
    const { message, data } = error as { message: string; data?: unknown };
    return { jsonrpc: "2.0", id: call.id ?? null, error: { code: -32000, message, data } };
  }
}

/** Serves `archive` over HTTP on a loopback port (0: any free port): JSON-RPC on POST /, blobs on GET /blobs/<hash>. */
export async function serveArchive(archive: BlobArchive, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const blobPath = /^\/blobs\/(0x[0-9a-fA-F]{64})$/.exec(request.url ?? "");
      if (request.method === "GET" && blobPath) {
        const blob = await archive.getBlob(blobPath[1]);
        response.writeHead(blob ? 200 : 404, { "content-type": "application/octet-stream" });
        response.end(blob ? Buffer.from(blob) : undefined);
        return;
      }
      if (request.method !== "POST") {
        response.writeHead(405).end();
        return;
      }
      let parsed: RpcCall | RpcCall[];
      try {
        parsed = JSON.parse(await body(request)) as RpcCall | RpcCall[];
      } catch {
        response.writeHead(400).end();
        return;
      }
      const result = Array.isArray(parsed)
        ? await Promise.all(parsed.map((call) => answer(archive, call)))
        : await answer(archive, parsed);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(result));
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${bound}` };
}

/** The node behind an archive, over HTTP JSON-RPC (the devnet's chain). */
export function httpUpstream(url: string): Upstream {
  let id = 0;
  return async (method, params) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const reply = (await response.json()) as { result?: unknown; error?: { message: string; data?: unknown } };
    if (reply.error) throw Object.assign(new Error(reply.error.message), { data: reply.error.data });
    return reply.result;
  };
}

/** Reads blobs from an archive served over HTTP, and sends blob transactions through it. */
export class ArchiveClient implements BlobSource {
  private readonly rpc: Upstream;

  constructor(private readonly url: string) {
    this.rpc = httpUpstream(url);
  }

  /** eth_sendRawTransaction at the archive: it stores and checks the blobs, then forwards to the node. */
  async sendRawTransaction(raw: string): Promise<string> {
    return String(await this.rpc("eth_sendRawTransaction", [raw]));
  }

  async getBlob(hash: string): Promise<Uint8Array | undefined> {
    const response = await fetch(`${this.url}/blobs/${hash}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`archive ${this.url}: blob ${hash}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}
