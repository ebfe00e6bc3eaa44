import { HardhatUserConfig, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";

/**
 * The compiler is solc-js from npm, pinned in package.json, so a fresh clone
 * compiles without downloading a native solc build.
 */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" } }],
    overrides: {
      // Both optimistic rollups are optimised for size so that they stay under EIP-170's 24,576 bytes (the BLS
      // rollup is OptimisticRollup plus its variant hooks; fraud proofs are rare, and posting a batch is mostly
      // calldata and storage, which the optimiser does not change).
      "contracts/optimistic/OptimisticRollup.sol": {
        version: SOLC_VERSION,
        settings: { optimizer: { enabled: true, runs: 1 }, evmVersion: "cancun", viaIR: true },
      },
      "contracts/optimistic/BlsOptimisticRollup.sol": {
        version: SOLC_VERSION,
        settings: { optimizer: { enabled: true, runs: 1 }, evmVersion: "cancun", viaIR: true },
      },
    },
  },
  networks: {
    hardhat: {
      // Hardhat 2 fixes the hardfork per process: `npx hardhat bench --hardfork cancun` runs its
      // workload in a child process with L2LAB_HARDFORK set. Unset means Hardhat's default (osaka).
      ...(process.env.L2LAB_HARDFORK ? { hardfork: process.env.L2LAB_HARDFORK } : {}),
      // Scenarios and benchmarks give every person their own funded account.
      accounts: { count: 40, accountsBalance: "10000000000000000000000" },
    },
    // `npx hardhat node` on another port (8545 is often taken): L2LAB_LOCALHOST_URL=http://127.0.0.1:8555.
    localhost: { url: process.env.L2LAB_LOCALHOST_URL ?? "http://127.0.0.1:8545" },
    // Any other EVM chain: its RPC URL and the private keys of the accounts to use, in ROLES order
    // (src/devnet/deployment.ts), comma-separated. Keys stay in the environment, never in a file here.
    ...(process.env.L2LAB_RPC_URL
      ? {
          remote: {
            url: process.env.L2LAB_RPC_URL,
            accounts: (process.env.L2LAB_PRIVATE_KEYS ?? "").split(",").filter((key) => key.trim().length > 0),
          },
        }
      : {}),
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS !== undefined,
    offline: true,
    currency: "USD",
  },
  mocha: {
    timeout: 600_000,
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
};

export default config;
