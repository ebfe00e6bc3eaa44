import { expect } from "chai";
import { Recent } from "../../src/net/recent";
import { PaymentLog } from "../../src/channels/payment-log";

describe("# Recent (the bounded record behind GET /events)", () => {
  it("should keep only the newest `limit` records, oldest first", () => {
    const recent = new Recent<{ n: number }>(3);
    for (let n = 0; n < 10; n++) recent.put(`k${n}`, { n });
    expect(recent.list().map((r) => r.n)).to.deep.equal([7, 8, 9]);
  });

  it("should change a kept record in place without moving it", () => {
    const recent = new Recent<{ n: number; state?: string }>(3);
    recent.put("a", { n: 1 });
    recent.put("b", { n: 2 });
    recent.update("a", { state: "settled" });
    recent.put("b", { n: 20 });
    expect(recent.list()).to.deep.equal([{ n: 1, state: "settled" }, { n: 20 }]);
  });

  it("should ignore an update to a record already dropped", () => {
    const recent = new Recent<{ n: number }>(1);
    recent.put("a", { n: 1 });
    recent.put("b", { n: 2 });
    recent.update("a", { n: 100 });
    expect(recent.list()).to.deep.equal([{ n: 2 }]);
  });

  it("should not take a limit below 1", () => {
    expect(() => new Recent(0)).to.throw(RangeError, "limit 0");
  });
});

describe("# PaymentLog", () => {
  it("should follow a lock from offered to settled, and hold at most its limit of locks", () => {
    const log = new PaymentLog("bob", 2);
    const hashlock = "0x" + "11".repeat(32);
    log.added("in", { peer: "alice", channelId: 1n, hashlock, amount: 5n, expiry: 1200 });
    log.added("out", { peer: "carol", channelId: 2n, hashlock, amount: 5n, expiry: 600 });
    log.moved("in", 1n, hashlock, "forwarded");
    log.moved("out", 2n, hashlock, "settled");
    expect(log.list().map((l) => [l.direction, l.peer, l.channelId, l.amount, l.state])).to.deep.equal([
      ["in", "alice", "1", "5", "forwarded"],
      ["out", "carol", "2", "5", "settled"],
    ]);
    log.added("out", { peer: "carol", channelId: 2n, hashlock: "0x" + "22".repeat(32), amount: 1n, expiry: 600 });
    expect(log.list()).to.have.length(2);
    expect(log.list()[0].direction).to.equal("out");
  });
});
