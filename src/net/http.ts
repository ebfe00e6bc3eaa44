import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ZodError, type ZodType, type ZodTypeDef } from "zod";

/**
 * A small HTTP JSON server for the devnet's long-running processes (L2 nodes, channel nodes,
 * watchtower). It listens on loopback only and refuses everything that is not a well-formed,
 * bounded, rate-limited JSON request before a handler sees it, so a handler only ever deals with
 * parsed input. Every refusal is a 4xx whose body says what was wrong and where:
 *
 *   { "error": { "code": "bad-json", "message": "request body: Unexpected token } in JSON at position 7" } }
 *
 * and changes nothing: handlers run only after all checks pass.
 */

/** A refusal a handler raises on purpose: becomes `status` with this code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** What a handler receives: the parsed JSON body (POST), path parameters and query. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** The client a rate limit is counted against (its address). */
  readonly client: string;
}

export interface Route {
  readonly method: "GET" | "POST";
  /** `/accounts/:index/balance`: `:name` segments become `params.name`. */
  readonly path: string;
  readonly handle: (request: ApiRequest) => unknown | Promise<unknown>;
}

export interface ServeOptions {
  /** 0 (default) takes a free port. */
  readonly port?: number;
  /** Bodies above this are refused with 413 before they are read whole. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** Token bucket per client: `burst` requests at once, refilled at `perSecond`. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Called once per request with its outcome, for a log line. */
  readonly onRequest?: (entry: { method: string; path: string; status: number; client: string; ms: number }) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 64 * 1024;
const DEFAULT_RATE = { perSecond: 50, burst: 100 };

/**
 * Parses `body` with `schema` (which may convert as it checks, e.g. decimal strings to bigint), turning
 * every problem into one 400 that lists each with its path.
 */
export function parseBody<T>(schema: ZodType<T, ZodTypeDef, unknown>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw invalidInput(result.error);
}

function invalidInput(error: ZodError): ApiError {
  const problems = error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`,
  );
  return new ApiError(400, "invalid-input", problems.join("; "));
}

/** Starts a server on 127.0.0.1 with `routes`; resolves once it listens. */
export async function serveJson(routes: readonly Route[], options: ServeOptions = {}): Promise<RunningServer> {
  const compiled = routes.map((route) => ({ route, match: compilePath(route.path) }));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE);

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    const client = req.socket.remoteAddress ?? "unknown";
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const finish = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      sendJson(res, status, payload, headers);
      options.onRequest?.({ method: req.method ?? "?", path: url.pathname, status, client, ms: Date.now() - started });
    };
    handle(req, url, client)
      .then((result) => finish(200, result))
      .catch((error: unknown) => {
        if (error instanceof ApiError) {
          const headers: Record<string, string> = error.status === 429 ? { "retry-after": "1" } : {};
          finish(error.status, { error: { code: error.code, message: error.message } }, headers);
        } else if (error instanceof ZodError) {
          const refused = invalidInput(error);
          finish(400, { error: { code: refused.code, message: refused.message } });
        } else {
          const message = error instanceof Error ? error.message : String(error);
          finish(500, { error: { code: "internal", message } });
        }
        // A refused body may still be arriving: stop reading it.
        if (!req.complete) req.destroy();
      });
  });
  // A client that trickles its headers or body holds a socket, not the node: cut it off.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  async function handle(req: IncomingMessage, url: URL, client: string): Promise<unknown> {
    if (!limiter.take(client)) {
      throw new ApiError(429, "rate-limited", `too many requests from ${client}: at most ${limiter.describe()}`);
    }
    const method = req.method ?? "GET";
    const candidates = compiled.map((c) => ({ ...c, params: c.match(url.pathname) })).filter((c) => c.params);
    if (candidates.length === 0) throw new ApiError(404, "not-found", `no route ${url.pathname}`);
    const chosen = candidates.find((c) => c.route.method === method);
    if (!chosen) {
      const allowed = candidates.map((c) => c.route.method).join(", ");
      throw new ApiError(405, "method-not-allowed", `${method} ${url.pathname}: use ${allowed}`);
    }
    let body: unknown = undefined;
    if (method === "POST") body = await readJson(req, maxBody);
    return chosen.route.handle({
      method,
      path: url.pathname,
      params: chosen.params as Record<string, string>,
      query: url.searchParams,
      body,
      client,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function compilePath(pattern: string): (path: string) => Record<string, string> | undefined {
  const parts = pattern.split("/").filter(Boolean);
  return (path) => {
    const segments = path.split("/").filter(Boolean);
    if (segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].startsWith(":")) {
        let value: string;
        try {
          value = decodeURIComponent(segments[i]);
        } catch {
          return undefined;
        }
        params[parts[i].slice(1)] = value;
      } else if (parts[i] !== segments[i]) return undefined;
    }
    return params;
  };
}

async function readJson(req: IncomingMessage, maxBody: number): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported-media-type",
      `request body: send Content-Type application/json, not "${type}"`,
    );
  }
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBody) {
    throw new ApiError(413, "body-too-large", `request body: ${declared} bytes, the limit is ${maxBody}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw new ApiError(413, "body-too-large", `request body: over ${maxBody} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "bad-json", `request body: ${(error as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string>): void {
  if (res.headersSent) return;
  const body = JSON.stringify(payload ?? null, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Per-client token bucket: one student's loop cannot starve the rest of the room. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: { readonly perSecond: number; readonly burst: number }) {}

  take(client: string): boolean {
    const now = Date.now();
    // A bucket that has refilled is the same as no bucket: forget those before the map grows.
    if (this.buckets.size > 10_000) this.forgetIdle(now);
    const bucket = this.buckets.get(client) ?? { tokens: this.rate.burst, at: now };
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond >= this.rate.burst)
        this.buckets.delete(client);
    }
  }

  describe(): string {
    return `${this.rate.burst} at once, then ${this.rate.perSecond} per second`;
  }
}
