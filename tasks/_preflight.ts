/**
 * Runs before any task (this file sorts first in tasks/): refuses a Node.js the project does not
 * support, saying what to install, and makes an unreachable network say what to start instead of
 * Hardhat's HH108.
 */
import { extendProvider } from "hardhat/config";
import { ExplainUnreachable, unsupportedNode } from "../src/devnet/network";

const problem = unsupportedNode();
if (problem) {
  console.error(problem);
  process.exit(1);
}

extendProvider((provider, config, network) => {
  const url = (config.networks[network] as { url?: unknown } | undefined)?.url;
  return typeof url === "string" ? new ExplainUnreachable(provider, network, url) : provider;
});
