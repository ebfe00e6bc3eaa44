/** Every workload, in report order. */
import type { Workload } from "../context";
import { baselineWorkload } from "./baseline";

export const WORKLOADS: Workload[] = [baselineWorkload];
