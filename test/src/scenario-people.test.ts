/**
 * People: `operator` is signer 0, everyone else takes the next signer in
 * order of first appearance in the file; L2 keys come from the name alone.
 */
import { expect } from "chai";
import hre from "hardhat";
import { keccak256, toUtf8Bytes, Wallet, hexlify } from "ethers";
import { assignPeople, l2KeyOf, l2SeedOf, NotEnoughAccountsError } from "../../src/scenario/people";
import { parseScenario, peopleInFileOrder } from "../../src/scenario/validate";
import type { Scenario, SystemName } from "../../src/scenario/types";

function scenario(system: SystemName, steps: object[]): Scenario {
  return parseScenario(JSON.stringify({ name: "people", description: "people", system, steps }), "people.json");
}

describe("# assignPeople", function () {
  it("should order people by first appearance, field by field as written", function () {
    const s = scenario("optimistic", [
      { do: "transfer", to: "bob", from: "alice", amount: "1" },
      { do: "batch", fault: { kind: "mint", to: "mallory", amount: "1" } },
      { do: "claim", by: "alice" },
      { do: "challenge", by: "carol" },
    ]);
    expect(peopleInFileOrder(s)).to.deep.equal(["operator", "bob", "alice", "mallory", "carol"]);
  });

  it("should find people in channel deposits, routes and watchtowers", function () {
    const s = scenario("channels", [
      { do: "open", a: "bob", b: "alice", deposit: { alice: "1", bob: "1" } },
      { do: "pay", from: "alice", to: "dan", amount: "0.1", route: ["alice", "bob", "carol", "dan"] },
      { do: "watchtower", for: "bob", by: "tower" },
    ]);
    expect(peopleInFileOrder(s)).to.deep.equal(["bob", "alice", "dan", "carol", "tower"]);
  });

  it("should give operator signer 0 and the others signers 1, 2, ... in a rollup", async function () {
    const signers = await hre.ethers.getSigners();
    const people = assignPeople(scenario("zk", [{ do: "deposit", from: "carol", amount: "1" }]), signers);
    expect([...people.keys()]).to.deep.equal(["operator", "carol"]);
    expect(people.get("operator")!.l1Address).to.equal(signers[0].address);
    expect(people.get("carol")!.l1Address).to.equal(signers[1].address);
  });

  it("should keep signer 0 for the operator in channels, where nobody is operator", async function () {
    const signers = await hre.ethers.getSigners();
    const s = scenario("channels", [{ do: "open", a: "alice", b: "bob", deposit: { alice: "1", bob: "0" } }]);
    const people = assignPeople(s, signers);
    expect([...people.keys()]).to.deep.equal(["alice", "bob"]);
    expect(people.get("alice")!.l1Address).to.equal(signers[1].address);
  });

  it("should derive L2 keys and seeds from the name alone", function () {
    expect(l2KeyOf("alice").privateKey).to.equal(keccak256(toUtf8Bytes("l2lab/l2-key/alice")));
    expect(l2KeyOf("alice").address).to.equal(new Wallet(keccak256(toUtf8Bytes("l2lab/l2-key/alice"))).address);
    expect(hexlify(l2SeedOf("bob"))).to.equal(keccak256(toUtf8Bytes("l2lab/l2-seed/bob")));
    expect(l2KeyOf("alice").address).to.not.equal(l2KeyOf("bob").address);
  });

  it("should not assign more people than the network has accounts", async function () {
    const signers = (await hre.ethers.getSigners()).slice(0, 3);
    const s = scenario("optimistic", [
      { do: "deposit", from: "alice", amount: "1" },
      { do: "deposit", from: "bob", amount: "1" },
      { do: "deposit", from: "carol", amount: "1" },
    ]);
    expect(() => assignPeople(s, signers))
      .to.throw(NotEnoughAccountsError)
      .with.property("message")
      .that.matches(/needs 4 L1 accounts .* has only 3/);
  });
});
