/**
 * The payment channel contract through Hardhat Ignition, with the dispute period of
 * scripts/deploy-channels.ts (src/channels/params.ts), from the deployer account.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { DEFAULT_CHANNEL_PARAMS } from "../../src/channels/params";
import { ROLES } from "../../src/devnet/deployment";

export default buildModule("PaymentChannels", (m) => {
  const contract = m.contract(
    "PaymentChannels",
    [m.getParameter("disputePeriod", DEFAULT_CHANNEL_PARAMS.disputePeriod)],
    { from: m.getAccount(ROLES.deployer) },
  );
  return { contract };
});
