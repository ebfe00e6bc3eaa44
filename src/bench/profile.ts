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
  /** Measure a fraud proof for every fault kind. */
  fraudProofs: boolean;
  /** zk batch sizes: the smallest built circuit only, or every one. */
  zkBatchSizes: "smallest" | "all";
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
    fraudProofs: true,
    zkBatchSizes: "smallest",
    channelPayments: [1, 10],
    blobs: true,
  },
  full: {
    name: "full",
    optimisticBatchSizes: [1, 8, 64, 512, 2048],
    optimisticMaxFit: true,
    fraudProofs: true,
    zkBatchSizes: "all",
    channelPayments: [1, 10, 100, 1000],
    blobs: true,
  },
};

/** EIP-7825: the most gas one transaction may use (Osaka). */
export const TX_GAS_CAP = 16_777_216n;
