/**
 * The client side of src/net/http.ts: one JSON request with a timeout, whose failure names the
 * endpoint and repeats the server's own refusal, e.g.
 * `POST http://127.0.0.1:8600/transfers: 400 invalid-input: nonce: expected 3, got 2`.
 */

export class ApiRequestError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly timeoutMs?: number;
}

/** GET when there is no body, POST with a JSON body otherwise; bigints travel as decimal strings. */
export async function requestJson<T = unknown>(url: string, options: RequestOptions = {}): Promise<T> {
  const method = options.body === undefined ? "GET" : "POST";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: method === "POST" ? { "content-type": "application/json" } : {},
      body:
        method === "POST"
          ? JSON.stringify(options.body, (_k, v) => (typeof v === "bigint" ? v.toString() : v))
          : undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ApiRequestError(url, 0, "unreachable", `${method} ${url}: no answer (${reason}); is the node running?`);
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text.length ? JSON.parse(text) : null;
  } catch {
    throw new ApiRequestError(
      url,
      response.status,
      "bad-response",
      `${method} ${url}: ${response.status}, not JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    const code = error?.code ?? "http-error";
    throw new ApiRequestError(
      url,
      response.status,
      code,
      `${method} ${url}: ${response.status} ${code}: ${error?.message ?? text}`,
    );
  }
  return payload as T;
}
