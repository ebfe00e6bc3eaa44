/**
 * What `bench --quick` says about the committed gas snapshot: a match, or each row that drifted with its
 * old and new gas; rows of systems the run left out are not reported missing.
 */
import { expect } from "chai";
import { snapshotDrift, type GasSnapshot } from "../../src/bench/snapshot";

const entry = (l1Gas: number) => ({ l1Gas, gasWithoutCalldata: l1Gas - 1000, blobGasUsed: 0, floorApplied: false });

const committed: GasSnapshot = {
  profile: "quick",
  hardfork: "osaka",
  rows: {
    "channels/open/calldata/1": entry(90_000),
    "optimistic/transfer/calldata/4": entry(120_000),
  },
};

describe("# snapshotDrift", function () {
  it("should say the gas matches when every row is the same", function () {
    expect(snapshotDrift(committed, committed, "bench/snapshot.json")).to.deep.equal([
      "bench: gas matches bench/snapshot.json (2 rows)",
    ]);
  });

  it("should name each drifted row with its old and new gas and the signed difference", function () {
    const now: GasSnapshot = {
      ...committed,
      rows: { ...committed.rows, "optimistic/transfer/calldata/4": entry(119_500), "zk/new/calldata/1": entry(1) },
    };
    const lines = snapshotDrift(committed, now, "bench/snapshot.json");
    expect(lines[0]).to.equal("bench: 3 differences from bench/snapshot.json:");
    expect(lines).to.include("  optimistic/transfer/calldata/4: l1Gas 120000 → 119500 (-500)");
    expect(lines).to.include("  optimistic/transfer/calldata/4: gasWithoutCalldata 119000 → 118500 (-500)");
    expect(lines).to.include("  zk/new/calldata/1: measured now, not in the snapshot");
    expect(lines[lines.length - 1]).to.contain("npx hardhat bench --update-snapshot");
  });

  it("should compare only the systems a --systems run measured", function () {
    const channelsOnly: GasSnapshot = { ...committed, rows: { "channels/open/calldata/1": entry(90_001) } };
    expect(snapshotDrift(committed, channelsOnly, "s.json", ["channels"])).to.deep.equal([
      "bench: 2 differences from s.json:",
      "  channels/open/calldata/1: l1Gas 90000 → 90001 (+1)",
      "  channels/open/calldata/1: gasWithoutCalldata 89000 → 89001 (+1)",
      "  if the change is intended, run `npx hardhat bench --update-snapshot` and commit bench/snapshot.json",
    ]);
    expect(snapshotDrift(committed, channelsOnly, "s.json")).to.include(
      "  optimistic/transfer/calldata/4: in the snapshot, not measured now",
    );
  });

  it("should not compare a run under another hardfork", function () {
    expect(snapshotDrift(committed, { ...committed, hardfork: "cancun" }, "s.json")).to.deep.equal([
      "bench: not compared with s.json: it records osaka, this run measured cancun",
    ]);
  });
});
