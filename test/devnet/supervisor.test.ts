/**
 * The supervisor under the devnet, with real child processes (small Node programs that speak the
 * ready-line protocol): it hands back each ready line, refuses a process that dies before it is
 * ready, and leaves nothing running once stopped, even a child that ignores SIGTERM.
 */
import { expect } from "chai";
import { Supervisor } from "../../src/devnet/processes";
import { alive, gone } from "./processes";

const server = (name: string, extra = "") => `
  const http = require("node:http");
  ${extra}
  const s = http.createServer((q, r) => r.end("ok")).listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ ready: ${JSON.stringify(name)}, url: "http://127.0.0.1:" + s.address().port }));
  });`;

describe("# devnet supervisor", function () {
  it("should start children, hand back their ready lines and leave none running after stop()", async function () {
    const lines: string[] = [];
    const supervisor = new Supervisor((line) => lines.push(line));
    const a = await supervisor.start("a", process.execPath, ["-e", server("a", 'console.error("a says hello");')]);
    const b = await supervisor.start("b", process.execPath, ["-e", server("b", 'process.on("SIGTERM", () => {});')]);
    expect(a.ready.ready).to.equal("a");
    expect(a.ready.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(b.ready.url as string)).status).to.equal(200);
    const pids = Object.values(supervisor.pids());
    expect(pids.every(alive)).to.equal(true);
    await supervisor.stop(1_000);
    expect(await gone(pids, 5_000)).to.deep.equal([]);
    expect(lines).to.include("[a] a says hello");
  });

  it("should refuse a child that exits before its ready line, with its last output", async function () {
    const supervisor = new Supervisor(() => undefined);
    const start = supervisor.start("broken", process.execPath, ["-e", 'console.log("no chain here"); process.exit(3)']);
    await expect(start).to.be.rejectedWith(/broken: exited \(code 3\) before it was ready[\s\S]*no chain here/);
    await supervisor.stop();
  });
});
