/**
 * `npx hardhat doctor [--skip-keys] [--export-keys FILE.tgz] [--import-keys FILE.tgz]` (`npm run doctor`):
 * checks Node.js, the native bindings, the chain port and the zk keys (building them if missing, and
 * saying what that cost), and moves the key cache between machines. A shell over src/devnet/doctor.ts.
 */
import { task, types } from "hardhat/config";

task("doctor", "Checks this machine for the workshop: Node.js, native bindings, the chain port, the zk keys")
  .addFlag("skipKeys", "do not build or check the zk keys")
  .addOptionalParam("exportKeys", "pack the zk key cache into this .tgz for other machines", undefined, types.string)
  .addOptionalParam(
    "importKeys",
    "unpack a .tgz made by --export-keys, after checking it fits this circuit",
    undefined,
    types.string,
  )
  .setAction(async (args: { skipKeys: boolean; exportKeys?: string; importKeys?: string }, hre) => {
    const doctor = await import("../src/devnet/doctor");
    const root = hre.config.paths.root;
    const mark = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;
    let failed = false;
    const print = (check: { name: string; status: "ok" | "warn" | "fail"; detail: string }) => {
      if (check.status === "fail") failed = true;
      console.log(`${mark[check.status]}  ${check.name}: ${check.detail}`);
    };

    if (args.importKeys) {
      try {
        const imported = await doctor.importKeys(root, args.importKeys);
        print({
          name: "import keys",
          status: "ok",
          detail: `${imported.length} key files from ${args.importKeys} into .zk-cache/`,
        });
      } catch (error) {
        print({ name: "import keys", status: "fail", detail: (error as Error).message });
      }
    }
    print(doctor.checkNode());
    for (const check of doctor.checkNativeBindings(root)) print(check);
    const localhost = (hre.config.networks.localhost as { url: string }).url;
    print(await doctor.checkChainPort(localhost));
    if (!args.skipKeys && !failed) {
      try {
        const cost = await doctor.ensureZkKeys(root, (line) => console.error(`      ${line}`));
        print({
          name: "zk keys",
          status: "ok",
          detail:
            `${cost.built ? "built" : "found in .zk-cache/ and read"} in ${cost.seconds.toFixed(1)} s ` +
            `(${cost.constraints} constraints); peak memory ${doctor.formatBytes(cost.peakRssBytes)}, ` +
            `.zk-cache/ holds ${doctor.formatBytes(cost.diskBytes)}`,
        });
      } catch (error) {
        print({ name: "zk keys", status: "fail", detail: (error as Error).message });
      }
    }
    if (args.exportKeys) {
      try {
        const bytes = doctor.exportKeys(root, args.exportKeys);
        print({
          name: "export keys",
          status: "ok",
          detail: `${args.exportKeys} (${doctor.formatBytes(bytes)}): hand it to the room with \`npm run doctor -- --import-keys ${args.exportKeys}\``,
        });
      } catch (error) {
        print({ name: "export keys", status: "fail", detail: (error as Error).message });
      }
    }
    console.log(failed ? "\nsome checks failed: fix those lines first" : "\nready for the workshop");
    if (failed) process.exitCode = 1;
    // snarkjs keeps worker threads alive after the keys are read.
    process.exit(process.exitCode ?? 0);
  });
