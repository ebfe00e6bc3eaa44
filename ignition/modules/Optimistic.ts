/**
 * The optimistic rollup through Hardhat Ignition: deployed by its operator and bonded, exactly as
 * scripts/deploy-optimistic.ts does (the parameters' defaults are that script's, from
 * src/optimistic/params.ts). `npx hardhat ignition deploy ignition/modules/Optimistic.ts --network X`
 * works on its own; `npx hardhat devnet` deploys it with the other systems, or `blsOptimisticModule`
 * (BlsOptimisticRollup, BLS-aggregated transfers) with `--signatures bls`.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { DEFAULT_PARAMS } from "../../src/optimistic/params";
import { ROLES } from "../../src/devnet/deployment";

function optimisticModule(id: string, contract: "OptimisticRollup" | "BlsOptimisticRollup") {
  return buildModule(id, (m) => {
    const operator = m.getAccount(ROLES.optimisticOperator);
    const bond = m.getParameter("bond", DEFAULT_PARAMS.bond);
    const rollup = m.contract(
      contract,
      [
        operator,
        bond,
        m.getParameter("challengePeriod", DEFAULT_PARAMS.challengePeriod),
        m.getParameter("forceInclusionDelay", DEFAULT_PARAMS.forceInclusionDelay),
        m.getParameter("chunkSize", DEFAULT_PARAMS.chunkSize),
        m.getParameter("depositDeadline", DEFAULT_PARAMS.depositDeadline),
      ],
      { from: operator },
    );
    // The operator posts nothing until it has bonded: the bond is what a proven fraud costs it.
    m.call(rollup, "bond", [], { value: bond, from: operator });
    return { rollup };
  });
}

/** BlsOptimisticRollup: the same rollup whose chunks carry 12-byte transfers under one aggregate BLS signature. */
export const blsOptimisticModule = optimisticModule("BlsOptimistic", "BlsOptimisticRollup");

export default optimisticModule("Optimistic", "OptimisticRollup");
