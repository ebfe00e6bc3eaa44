/**
 * Published figures our measurements are compared with. Each carries its source; none is used in
 * any computation, only printed beside the matching measured figure.
 */
import type { BenchSystem } from "./types";

export interface Anchor {
  project: string;
  what: string;
  /** Their figure, as published. */
  figure: string;
  /** Gas per transaction (or per operation) to compare numerically, when the figure has one. */
  gas?: number;
  /** The measured row of ours it corresponds to. */
  ours: { system: BenchSystem; variant: string; posting: "calldata"; batchSize?: "largest" | number };
  pricing: string;
  source: string;
}

const RAIDEN_GAS =
  "raiden-network/raiden-contracts, raiden_contracts/data/gas.json (commit 0414fc5), https://github.com/raiden-network/raiden-contracts/blob/0414fc597196acc592c758391bdd18104a3d4f1e/raiden_contracts/data/gas.json";

export const ANCHORS: Anchor[] = [
  {
    project: "Hubble (BLS optimistic rollup)",
    what: "gas per transfer at 1,024 transfers per batch, 12 bytes per transfer",
    figure: "~441 gas",
    gas: 441,
    ours: { system: "optimistic", variant: "bls-batch", posting: "calldata", batchSize: "largest" },
    pricing: "pre-EIP-7623 (16 gas per non-zero byte): compare with our cancun rows",
    source:
      "thehubbleproject/hubble-contracts README and benchmark scripts (https://github.com/thehubbleproject/hubble-contracts): ~450 gas per tx quoted for 2,320 TPS at a 12.5M block gas limit",
  },
  {
    project: "zkSync Lite (zkSync 1.x)",
    what: "gas per transfer, plus a fixed cost per block",
    figure: "~400 gas per transfer + ~400k gas per block",
    gas: 400,
    ours: { system: "zk", variant: "batch", posting: "calldata", batchSize: "largest" },
    pricing: "pre-EIP-7623, PLONK verification amortised over large blocks",
    source:
      "zkSync 1.x FAQ (https://zksync.io/faq/tokens.html, archived; quoted in https://github.com/dmihal/l2-fees/issues/7): per block the SNARK verification, plus ~0.4k gas per transaction to publish the state",
  },
  {
    project: "Loopring 3",
    what: "gas per transfer (22 bytes of data per transfer)",
    figure: "~352 gas",
    gas: 352,
    ours: { system: "zk", variant: "batch", posting: "calldata", batchSize: "largest" },
    pricing: "pre-EIP-7623, Groth16 verification amortised over large blocks",
    source:
      "Loopring protocol 3 design document (https://github.com/Loopring/protocols/blob/adc95a13ab4d84ff50a99f601ba1c6b5add7e411/packages/loopring_v3/DESIGN.md)",
  },
  {
    project: "Raiden",
    what: "TokenNetwork.openChannel",
    figure: "104,256 gas",
    gas: 104_256,
    ours: { system: "channels", variant: "open", posting: "calldata" },
    pricing: "ERC-20 token channels, pre-EIP-7623",
    source: RAIDEN_GAS,
  },
  {
    project: "Raiden",
    what: "TokenNetwork.setTotalDeposit",
    figure: "57,368 gas",
    gas: 57_368,
    ours: { system: "channels", variant: "deposit", posting: "calldata" },
    pricing: "ERC-20 token channels, pre-EIP-7623",
    source: RAIDEN_GAS,
  },
  {
    project: "Raiden",
    what: "TokenNetwork.closeChannel (unilateral, with a balance proof)",
    figure: "122,682 gas",
    gas: 122_682,
    ours: { system: "channels", variant: "unilateral-close", posting: "calldata" },
    pricing: "ERC-20 token channels, pre-EIP-7623",
    source: RAIDEN_GAS,
  },
  {
    project: "Raiden",
    what: "TokenNetwork.updateNonClosingBalanceProof (the other side's newer state)",
    figure: "91,696 gas",
    gas: 91_696,
    ours: { system: "channels", variant: "dispute", posting: "calldata" },
    pricing: "ERC-20 token channels, pre-EIP-7623",
    source: RAIDEN_GAS,
  },
  {
    project: "Raiden",
    what: "TokenNetwork.settleChannel",
    figure: "116,222 gas",
    gas: 116_222,
    ours: { system: "channels", variant: "settle", posting: "calldata" },
    pricing: "ERC-20 token channels, pre-EIP-7623",
    source: RAIDEN_GAS,
  },
];
