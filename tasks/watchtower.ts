/**
 * `npx hardhat watchtower --network X [--deployment path] [--port N]`: a watchtower any channel node can register
 * with (src/channels/tower-server.ts); it disputes a revoked-state close by itself, from its own L1 account.
 */
import { task, types } from "hardhat/config";

task("watchtower", "Watches the channel contract for its clients and punishes a close on a revoked state")
  .addOptionalParam("deployment", "deployment record (default .devnet/<chainId>/deployment.json)", "")
  .addOptionalParam("port", "API port (0 = a free one)", 0, types.int)
  .addOptionalParam("account", "index of the account that pays for disputes (default: the watcher's)", -1, types.int)
  .addOptionalParam("pollMs", "how often it reads L1, in ms", 500, types.int)
  .setAction(async (args: { deployment: string; port: number; account: number; pollMs: number }, hre) => {
    const { loadDeployment, untilSignalled, portOption } = await import("../src/devnet/lifecycle");
    const { ROLES } = await import("../src/devnet/deployment");
    const { announceReady } = await import("../src/devnet/ready");
    const { serveJson } = await import("../src/net/http");
    const { ChannelsL1 } = await import("../src/channels/l1");
    const { Watchtower } = await import("../src/channels/watchtower");
    const { TowerService } = await import("../src/channels/tower-server");

    const { deployment, chainId } = await loadDeployment(hre, args.deployment);
    if (!deployment.channels) throw new Error("the deployment record has no channel contract");
    const index = args.account >= 0 ? args.account : ROLES.watcher;
    const signer = (await hre.ethers.getSigners())[index];
    if (!signer) throw new Error(`network ${hre.network.name}: no account ${index}`);
    const contract = await hre.ethers.getContractAt("PaymentChannels", deployment.channels.contract, signer);
    const l1 = new ChannelsL1(contract);
    const domain = { chainId, verifyingContract: deployment.channels.contract };
    const towers = [0, 1].map(
      (side) => new Watchtower(`watchtower (side ${side ? "B" : "A"})`, l1, signer, deployment.fromBlock, domain),
    );
    const log = (line: string): void => console.log(line);
    const service = new TowerService([towers[0], towers[1]], log, args.pollMs);
    const server = await serveJson(service.routes(), { port: portOption(args.port) });
    console.log(`watchtower ${await signer.getAddress()} watches channels ${deployment.channels.contract}`);
    service.start();
    announceReady({ ready: "watchtower", url: server.url });
    await untilSignalled("watchtower", async () => {
      await service.stop();
      await server.close();
    });
  });
