/**
 * `npx hardhat watch --network X [--deployment path] [--port N]`: the independent watcher of the optimistic
 * rollup (src/optimistic/daemon.ts) as a long-running process, with a status endpoint (GET /status).
 */
import { task, types } from "hardhat/config";

task("watch", "Follows the optimistic rollup on L1, checks every batch and proves fraud by itself")
  .addOptionalParam("deployment", "deployment record (default .devnet/<chainId>/deployment.json)", "")
  .addOptionalParam("port", "status endpoint port (0 = a free one)", 0, types.int)
  .addOptionalParam("pollMs", "how often it looks at L1, in ms", 500, types.int)
  .setAction(async (args: { deployment: string; port: number; pollMs: number }, hre) => {
    const { loadDeployment, untilSignalled, portOption } = await import("../src/devnet/lifecycle");
    const { ROLES } = await import("../src/devnet/deployment");
    const { announceReady } = await import("../src/devnet/ready");
    const { serveJson } = await import("../src/net/http");
    const { WatchDaemon } = await import("../src/optimistic/daemon");

    const { kzgBeforeRpc } = await import("../src/devnet/lifecycle");
    const preloaded = await kzgBeforeRpc(args.deployment);
    const { deployment, chainId } = await loadDeployment(hre, args.deployment);
    if (!deployment.optimistic) throw new Error("the deployment record has no optimistic rollup");
    const signer = (await hre.ethers.getSigners())[ROLES.watcher];
    if (!signer) throw new Error(`network ${hre.network.name}: no account ${ROLES.watcher} (the watcher's)`);
    const rollup = await hre.ethers.getContractAt("OptimisticRollup", deployment.optimistic.rollup, signer);
    const watcher = await signer.getAddress();
    // The blob archive in front of the chain, when the devnet runs one: blobs are read from it alone.
    const archive = deployment.optimistic.archive;
    const blobs = archive
      ? {
          source: new (await import("../src/optimistic/blob-archive")).ArchiveClient(archive),
          kzg: preloaded ?? (await (await import("../src/encoding/kzg")).loadKzg()),
        }
      : undefined;
    const daemon = new WatchDaemon(
      rollup,
      signer,
      { chainId, rollup: deployment.optimistic.rollup, watcher },
      { pollMs: args.pollMs, blobs },
    );
    const server = await serveJson([{ method: "GET", path: "/status", handle: () => daemon.status }], {
      port: portOption(args.port),
    });
    console.log(`watcher ${watcher} follows rollup ${deployment.optimistic.rollup} on chain ${chainId}`);
    if (archive) console.log(`watcher reads blobs from the blob archive at ${archive}`);
    daemon.start();
    announceReady({ ready: "watch", url: server.url, rollup: deployment.optimistic.rollup, watcher });
    await untilSignalled("watch", async () => {
      await daemon.stop();
      await server.close();
    });
  });
