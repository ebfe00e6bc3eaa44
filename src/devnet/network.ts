/**
 * Which chain a command talks to, and what it may do there.
 *
 * Every command takes any EVM network from configuration (hardhat.config.ts: `localhost` from
 * L2LAB_LOCALHOST_URL, `remote` from L2LAB_RPC_URL and L2LAB_PRIVATE_KEYS). A few steps only make
 * sense on a development chain, whose node lets anyone move its clock, stop its miner or roll it
 * back (`evm_increaseTime`, `evm_setAutomine`, `evm_revert`): scenario steps that wait or arm an
 * attack, the benchmark's resets. Those ask `requireDevelopmentChain` first and refuse, saying why,
 * on any other chain instead of failing halfway with an RPC error.
 */
import { HardhatPluginError, ProviderWrapper } from "hardhat/plugins";
import type { EIP1193Provider, HardhatRuntimeEnvironment, RequestArguments } from "hardhat/types";

/** The node software of development chains, as `web3_clientVersion` names it. */
const DEVELOPMENT_CLIENTS = [/^HardhatNetwork\//i, /^anvil\//i, /^Ganache\//i, /^EthereumJS TestRPC\//i];

export function isDevelopmentClient(clientVersion: string): boolean {
  return DEVELOPMENT_CLIENTS.some((pattern) => pattern.test(clientVersion));
}

/** A step that needs a development chain was asked of some other chain. */
export class NotADevelopmentChainError extends HardhatPluginError {
  constructor(
    readonly what: string,
    readonly network: string,
    readonly clientVersion: string,
  ) {
    super(
      "l2lab",
      `${what} needs a development chain (a \`hardhat node\`, anvil, ...) that lets anyone move its clock, ` +
        `stop its miner or roll it back; network "${network}" runs ${clientVersion || "an unknown client"}, ` +
        "which does not. Run it against `--network localhost` (after `npx hardhat node`) instead.",
    );
    this.name = "NotADevelopmentChainError";
  }
}

const clientVersions = new WeakMap<object, Promise<string>>();

/** The node's `web3_clientVersion` (asked once per provider); "" if it does not say. */
export function clientVersion(hre: HardhatRuntimeEnvironment): Promise<string> {
  const provider = hre.network.provider;
  let version = clientVersions.get(provider);
  if (!version) {
    version = (provider.request({ method: "web3_clientVersion" }) as Promise<string>).catch(() => "");
    clientVersions.set(provider, version);
  }
  return version;
}

export async function isDevelopmentChain(hre: HardhatRuntimeEnvironment): Promise<boolean> {
  if (hre.network.name === "hardhat") return true;
  return isDevelopmentClient(await clientVersion(hre));
}

/** Throws NotADevelopmentChainError unless the network is a development chain; `what` names the step. */
export async function requireDevelopmentChain(hre: HardhatRuntimeEnvironment, what: string): Promise<void> {
  if (await isDevelopmentChain(hre)) return;
  throw new NotADevelopmentChainError(what, hre.network.name, await clientVersion(hre));
}

/**
 * The steps of a scenario that need a development chain, as "step N (do)", N counted from 0 as the runner does: those that move L1 time
 * (`wait`, a `stall` payment that waits out a lock) or arm an attack (which may stop the miner to
 * order transactions).
 */
export function developmentChainSteps(steps: readonly { do: string; [field: string]: unknown }[]): string[] {
  return steps.flatMap((step, i) =>
    step.do === "wait" || step.do === "attack" || step.stall !== undefined ? [`step ${i} (${step.do})`] : [],
  );
}

/** Nothing answers at the network's URL. */
export class NodeNotRunningError extends HardhatPluginError {
  constructor(network: string, url: string) {
    super(
      "l2lab",
      network === "localhost"
        ? `nothing answers at ${url} (network "localhost"): start \`npx hardhat node\` first ` +
            "(or set L2LAB_LOCALHOST_URL to where your node listens, e.g. http://127.0.0.1:8555)"
        : `nothing answers at ${url} (network "${network}"): check L2LAB_RPC_URL and that the node is up`,
    );
    this.name = "NodeNotRunningError";
  }
}

/** Hardhat's HH108 ("Cannot connect to the network"), recognised without importing its internals. */
function isNodeNotRunning(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { number?: unknown }).number === 108 &&
    (error as { _isHardhatError?: unknown })._isHardhatError === true
  );
}

/**
 * Wraps an HTTP network's provider so a refused connection says what to start (instead of HH108).
 * Installed for every network with a URL by tasks/_preflight.ts (`extendProvider`).
 */
export class ExplainUnreachable extends ProviderWrapper {
  constructor(
    provider: EIP1193Provider,
    private readonly network: string,
    private readonly url: string,
  ) {
    super(provider);
  }

  async request(args: RequestArguments): Promise<unknown> {
    try {
      return await this._wrappedProvider.request(args);
    } catch (error) {
      if (isNodeNotRunning(error)) throw new NodeNotRunningError(this.network, this.url);
      throw error;
    }
  }
}

/** The Node.js majors the project is tested on; package.json `engines` and .nvmrc say the same. */
export const SUPPORTED_NODE_MAJORS: readonly number[] = [20, 22];

/** Why this Node.js cannot run the project, or undefined if it can. */
export function unsupportedNode(version = process.versions.node): string | undefined {
  const major = Number(version.split(".")[0]);
  if (SUPPORTED_NODE_MAJORS.includes(major)) return undefined;
  return (
    `l2lab needs Node.js ${SUPPORTED_NODE_MAJORS.join(" or ")} (LTS); this is Node.js ${version}. ` +
    "Install Node.js 20 (https://nodejs.org, or `nvm install` in this folder, which reads .nvmrc) and run again."
  );
}
