import { expect } from "chai";
import { connect } from "node:net";
import { z } from "zod";
import { ApiRequestError, requestJson } from "../../../src/net/client";
import { ApiError, parseBody, serveJson, type RunningServer } from "../../../src/net/http";

/** A bare request, so malformed input reaches the server exactly as sent. */
function raw(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const status = Number(data.split(" ")[1] ?? "0");
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
  });
}

/** The refusal a request ends in (the test fails if it succeeds). */
async function refusal(request: Promise<unknown>): Promise<ApiRequestError> {
  const outcome = await request.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ApiRequestError)) throw new Error(`expected a refusal, got ${String(outcome)}`);
  return outcome;
}

describe("net: JSON server on loopback", () => {
  const Transfer = z.object({ to: z.number().int().nonnegative(), amount: z.string().regex(/^\d+$/) });
  let server: RunningServer;
  let balance: bigint;

  beforeEach(async () => {
    balance = 100n;
    server = await serveJson(
      [
        { method: "GET", path: "/balance/:who", handle: (r) => ({ who: r.params.who, balance }) },
        {
          method: "POST",
          path: "/transfers",
          handle: (r) => {
            const transfer = parseBody(Transfer, r.body);
            const amount = BigInt(transfer.amount);
            if (amount > balance)
              throw new ApiError(422, "insufficient-balance", `amount ${amount} > balance ${balance}`);
            balance -= amount;
            return { balance };
          },
        },
      ],
      { maxBodyBytes: 1024, rateLimit: { perSecond: 1, burst: 20 } },
    );
  });
  afterEach(() => server.close());

  it("should listen on 127.0.0.1 and answer JSON, bigints as decimal strings", async () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await requestJson(`${server.url}/balance/alice`)).to.deep.equal({ who: "alice", balance: "100" });
    expect(await requestJson(`${server.url}/transfers`, { body: { to: 1, amount: "30" } })).to.deep.equal({
      balance: "70",
    });
    expect(balance).to.equal(70n);
  });

  it("should refuse malformed JSON with 400 and the parser's position, changing nothing", async () => {
    const body = '{"to": 1,, }';
    const reply = await raw(
      server.port,
      `POST /transfers HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    );
    expect(reply.status).to.equal(400);
    expect(JSON.parse(reply.body).error.code).to.equal("bad-json");
    expect(JSON.parse(reply.body).error.message).to.match(/^request body: .*position/);
    expect(balance).to.equal(100n);
  });

  it("should list every invalid field with its path", async () => {
    const error = await refusal(requestJson(`${server.url}/transfers`, { body: { to: -1, amount: "1e3" } }));
    expect(error.status).to.equal(400);
    expect(error.message).to.include("to: ").and.include("amount: ");
    expect(balance).to.equal(100n);
  });

  it("should refuse a body over the limit with 413, declared or not", async () => {
    const big = JSON.stringify({ to: 1, amount: "1".repeat(2000) });
    const declared = await raw(
      server.port,
      `POST /transfers HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${big.length}\r\nconnection: close\r\n\r\n${big}`,
    );
    expect(declared.status).to.equal(413);
    const chunked = await raw(
      server.port,
      `POST /transfers HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
    );
    expect(chunked.status).to.equal(413);
    expect(balance).to.equal(100n);
  });

  it("should refuse a body that is not declared JSON (415), an unknown route (404), a wrong method (405)", async () => {
    const form = await raw(
      server.port,
      `POST /transfers HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`,
    );
    expect(form.status).to.equal(415);
    expect((await refusal(requestJson(`${server.url}/nope`))).status).to.equal(404);
    expect((await refusal(requestJson(`${server.url}/balance/x`, { body: {} }))).status).to.equal(405);
  });

  it("should answer a handler's refusal with its own status and code", async () => {
    const refused = await refusal(requestJson(`${server.url}/transfers`, { body: { to: 1, amount: "101" } }));
    expect(refused.status).to.equal(422);
    expect(refused.code).to.equal("insufficient-balance");
  });

  it("should rate-limit one client with 429 once its burst is spent", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push(
        await requestJson(`${server.url}/balance/a`).then(
          () => 200,
          (e) => e.status,
        ),
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).to.equal(true);
    expect(statuses.slice(20)).to.include(429);
  });

  it("should name the endpoint when nothing listens", async () => {
    const url = server.url;
    await server.close();
    const error = await refusal(requestJson(`${url}/balance/a`));
    expect(error.code).to.equal("unreachable");
    expect(error.message).to.include(url).and.include("is the node running?");
    server = await serveJson([]);
  });
});
