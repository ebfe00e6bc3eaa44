/**
 * The contract between the scenario runner and the systems it drives.
 *
 * The runner (src/scenario/runner.ts) validates a file, maps people to
 * accounts, then hands each step to the system's driver in order. A system
 * plugs in by exporting a `SystemModule` as `scenarioModule` from
 * `src/<system>/scenario.ts`; the registry (src/scenario/systems.ts) finds it
 * there, so adding a system touches no other system's code.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TransactionReceipt, Wallet } from "ethers";

export type SystemName = "optimistic" | "zk" | "channels";

/** Optional knobs a scenario may set; unset ones take each system's defaults. */
export interface ScenarioParams {
  challengePeriod?: number;
  bond?: string;
  batchSize?: number;
  forceInclusionDelay?: number;
  disputePeriod?: number;
  htlcDelta?: number;
  /** Rollups (v1.1): seconds a deposit may wait unconsumed before its depositor may freeze the rollup. */
  depositDeadline?: number;
  /** Optimistic (v1.1): one ECDSA signature per transfer, or one BLS12-381 aggregate per chunk. */
  signatures?: "ecdsa" | "bls";
  /** Optimistic (v1.1): batches in calldata or in blobs. */
  posting?: "calldata" | "blob";
}

/**
 * One step, already validated against format v1.1. `do` selects the kind;
 * the other fields are exactly those the format allows for that kind.
 */
export interface Step {
  do: string;
  note?: string;
  expectRevert?: boolean;
  [field: string]: unknown;
}

export interface Scenario {
  name: string;
  description: string;
  system: SystemName;
  params: ScenarioParams;
  steps: Step[];
}

/** A participant: an L1 account (Hardhat signer) and an L2 key derived from the name. */
export interface Person {
  name: string;
  /** The L1 account that sends this person's L1 transactions and receives their ETH. */
  l1: HardhatEthersSigner;
  l1Address: string;
  /** secp256k1 key derived deterministically from the name (src/scenario/people.ts). */
  l2: Wallet;
  /** 32 bytes of seed derived from the name, for systems with other key types (e.g. Baby Jubjub). */
  l2Seed: Uint8Array;
}

export interface ScenarioContext {
  hre: HardhatRuntimeEnvironment;
  scenario: Scenario;
  /** Every person the file names, `operator` included. */
  people: Map<string, Person>;
  person(name: string): Person;
  /** Print a line of detail under the current step (stderr-safe, indented). */
  log(line: string): void;
  /** Advance L1 time by `seconds` and mine one block. */
  advanceTime(seconds: number): Promise<void>;
}

/** What a step did: a one-line outcome for people and the L1 receipts for the record. */
export interface StepResult {
  outcome: string;
  receipts: TransactionReceipt[];
}

export interface SystemDriver {
  /** Deploys the system's contracts; returns their addresses by contract name. */
  deploy(): Promise<Record<string, string>>;
  /**
   * Runs one step. Throws `StepRefusedError` when the operator or a contract
   * refuses it (an L1 revert surfaces as ethers' CALL_EXCEPTION, which counts
   * too), `ExpectationError` when an `expect` does not hold.
   */
  run(step: Step, index: number): Promise<StepResult>;
}

export interface SystemModule {
  system: SystemName;
  create(ctx: ScenarioContext): Promise<SystemDriver>;
}

/** The operator or a contract refused the step: what `expectRevert` expects. */
export class StepRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepRefusedError";
  }
}

/** An `expect` step found the chain or the L2 state different from what it says. */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpectationError";
  }
}
