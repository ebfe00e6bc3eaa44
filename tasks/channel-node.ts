/**
 * `npx hardhat channel-node --name alice --network X [--peer bob=http://127.0.0.1:N,carol=...] [--tower URL]`: one
 * person's channel node as its own process (src/channels/peer.ts), with its own L1 account (ROLES.firstChannelNode
 * plus its place in CHANNEL_NODE_NAMES, or --account) and its own state-signing key.
 */
import { task, types } from "hardhat/config";

/** The default order of names: alice takes the first channel-node account, bob the next, ... */
export const CHANNEL_NODE_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

task("channel-node", "Runs one payment-channel node with an HTTP API for its peers and its user")
  .addParam("name", "the node's name (alice, bob, ...)")
  .addOptionalParam("deployment", "deployment record (default .devnet/<chainId>/deployment.json)", "")
  .addOptionalParam("port", "API port (0 = a free one)", 0, types.int)
  .addOptionalParam("account", "account index (default: ROLES.firstChannelNode + the name's place)", -1, types.int)
  .addOptionalParam("peer", "other nodes as name=url, comma-separated: bob=http://127.0.0.1:8601,carol=...", "")
  .addOptionalParam("tower", "URL of a watchtower to hand every new state to", "")
  .addOptionalParam("htlcDelta", "seconds between the expiries of consecutive hops of a routed payment", 0, types.int)
  .setAction(
    async (
      args: {
        name: string;
        deployment: string;
        port: number;
        account: number;
        peer: string;
        tower: string;
        htlcDelta: number;
      },
      hre,
    ) => {
      const { keccak256 } = await import("ethers");
      const { loadDeployment, untilSignalled, portOption } = await import("../src/devnet/lifecycle");
      const { ROLES } = await import("../src/devnet/deployment");
      const { announceReady } = await import("../src/devnet/ready");
      const { serveJson } = await import("../src/net/http");
      const { ChannelsL1 } = await import("../src/channels/l1");
      const { ChannelNode } = await import("../src/channels/node");
      const { PeerNode, RemoteTower } = await import("../src/channels/peer");
      const { DEFAULT_CHANNEL_PARAMS } = await import("../src/channels/params");
      const { NodeName } = await import("../src/channels/wire");

      const name = NodeName.parse(args.name);
      const { deployment, chainId } = await loadDeployment(hre, args.deployment);
      if (!deployment.channels) throw new Error("the deployment record has no channel contract");
      const place = CHANNEL_NODE_NAMES.indexOf(name);
      if (args.account < 0 && place < 0)
        throw new Error(`--name ${name}: not one of ${CHANNEL_NODE_NAMES.join(", ")}; give --account N`);
      const index = args.account >= 0 ? args.account : ROLES.firstChannelNode + place;
      const signer = (await hre.ethers.getSigners())[index];
      if (!signer) throw new Error(`network ${hre.network.name}: no account ${index} for ${name}`);
      const account = await signer.getAddress();
      const contractAddress = deployment.channels.contract;
      // The state-signing key is derived from the L1 account by a signature (deterministic, RFC 6979): the same
      // account gets the same key after a restart, and no second secret has to be configured.
      const stateKey = keccak256(
        await signer.signMessage(`l2lab channel state key: chain ${chainId}, contract ${contractAddress}`),
      );
      const domain = { chainId, verifyingContract: contractAddress };
      const node = new ChannelNode(name, stateKey, account, domain);
      const contract = await hre.ethers.getContractAt("PaymentChannels", contractAddress, signer);
      const peers = new Map<string, string>();
      const pairs = args.peer
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      for (const pair of pairs) {
        const match = /^([a-z][a-z0-9-]{0,31})=(http:\/\/127\.0\.0\.1:\d{1,5})\/?$/.exec(pair);
        if (!match) throw new Error(`--peer ${pair}: expected name=http://127.0.0.1:PORT`);
        peers.set(match[1], match[2]);
      }
      const log = (line: string): void => console.log(line);
      const tower = args.tower ? new RemoteTower(args.tower.replace(/\/$/, ""), log) : undefined;
      const peer = new PeerNode(node, new ChannelsL1(contract), signer, {
        htlcDelta: args.htlcDelta > 0 ? args.htlcDelta : DEFAULT_CHANNEL_PARAMS.htlcDelta,
        peers,
        tower,
        log,
      });
      const server = await serveJson(peer.routes(), { port: portOption(args.port) });
      peer.url = server.url;
      const stopClock = peer.followL1Time();
      console.log(`${name}: account ${account}, state key ${node.address}, channels ${contractAddress}`);
      announceReady({ ready: "channel-node", url: server.url, name, account, signer: node.address });
      await untilSignalled(`channel-node ${name}`, async () => {
        stopClock();
        await server.close();
      });
    },
  );
