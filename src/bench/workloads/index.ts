/** Every workload, in report order. */
import type { Workload } from "../context";
import { baselineWorkload } from "./baseline";
import { channelsWorkload } from "./channels";

export const WORKLOADS: Workload[] = [baselineWorkload, channelsWorkload];
