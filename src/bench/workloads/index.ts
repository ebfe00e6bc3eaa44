/** Every workload, in report order. */
import type { Workload } from "../context";
import { baselineWorkload } from "./baseline";
import { channelsWorkload } from "./channels";
import { optimisticWorkload } from "./optimistic";
import { zkWorkload } from "./zk";

export const WORKLOADS: Workload[] = [baselineWorkload, optimisticWorkload, zkWorkload, channelsWorkload];
