/**
 * The two workloads the benchmark runs. `quick` keeps to small batches so the gas snapshot test
 * takes well under a minute; `full` is the published report.
 */
import type { ProfileName } from "./types";

export interface Profile {
  name: ProfileName;
  /** Optimistic rollup batch sizes (L2 transfers per batch). */
  optimisticBatchSizes: number[];
  /** Also search for the largest batch under the per-transaction gas cap. */
  optimisticMaxFit: boolean;
  /** Fault kinds to measure a fraud proof for: every kind, or the two that cover both proof paths. */
  fraudProofs: "all" | "some";
  /**
   * zk batch sizes: every circuit whose proving key is built, or none. The quick profile leaves the
   * zk rollup out: one Groth16 proof takes tens of seconds here, more than the snapshot test's budget.
   */
  zkBatchSizes: "built" | "none";
  /**
   * Wall-clock seconds the zk workload may spend per hardfork before it leaves the remaining (larger)
   * circuits out, so the whole run stays within its 15 minutes; what it leaves out is listed.
   */
  zkBudgetSeconds: number;
  /** Payments per channel lifetime. */
  channelPayments: number[];
  /** Also post every rollup batch as EIP-4844 blobs. */
  blobs: boolean;
}

export const PROFILES: Record<ProfileName, Profile> = {
  quick: {
    name: "quick",
    optimisticBatchSizes: [1, 8],
    optimisticMaxFit: false,
    fraudProofs: "some",
    zkBatchSizes: "none",
    zkBudgetSeconds: 0,
    channelPayments: [1, 10],
    blobs: true,
  },
  full: {
    name: "full",
    optimisticBatchSizes: [1, 8, 64, 512, 2048],
    optimisticMaxFit: true,
    fraudProofs: "all",
    zkBatchSizes: "built",
    zkBudgetSeconds: 300,
    channelPayments: [1, 10, 100, 1000],
    blobs: true,
  },
};

/** EIP-7825: the most gas one transaction may use (Osaka). */
export const TX_GAS_CAP = 16_777_216n;
