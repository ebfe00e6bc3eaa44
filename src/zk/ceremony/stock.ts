/**
 * The stock snarkjs path, for comparison and for anyone who wants to add a
 * real contribution on top: `powersoftau new` → `beacon` → `prepare phase2`,
 * then `groth16 setup`, through snarkjs's own API. With the same beacon it
 * writes the same bytes as the direct writers, only much more slowly
 * (prepare phase2 is single-threaded: about 10 minutes at 2^14).
 *
 * INSECURE as well: a beacon-only ceremony has public secrets.
 */
import { mkdirSync } from "fs";
import { rename, rm } from "fs/promises";
import { dirname } from "path";
import { DEV_BEACON_HASH, DEV_BEACON_ITERATIONS_EXP, DEV_CONTRIBUTION_NAME, parseBeaconHash } from "./beacon";
import { tempPathFor } from "./cache";
import { CeremonyFileError, InvalidBeaconError, InvalidPowerError } from "./errors";
import type { ProgressFn } from "./progress";
import { MAX_PTAU_POWER } from "./ptau-writer";
import { snarkjsApi, withSnarkjsCurve } from "./snarkjs-api";

export async function stockPreparedPtau(
  power: number,
  outPath: string,
  opts: { beaconHash?: string; onProgress?: ProgressFn } = {},
): Promise<void> {
  if (!Number.isInteger(power) || power < 1 || power > MAX_PTAU_POWER) {
    throw new InvalidPowerError(power, `must be an integer from 1 to ${MAX_PTAU_POWER}`);
  }
  const beaconHash = opts.beaconHash ?? DEV_BEACON_HASH;
  parseBeaconHash(beaconHash);
  mkdirSync(dirname(outPath), { recursive: true });
  const fresh = tempPathFor(`${outPath}.new`);
  const beaconed = tempPathFor(`${outPath}.beacon`);
  const prepared = tempPathFor(outPath);
  const api = snarkjsApi();
  try {
    await withSnarkjsCurve(async () => {
      const curve = await api.curves.getCurveFromName("bn128");
      opts.onProgress?.(`stock ptau 2^${power}: powersoftau new`);
      await api.powersOfTau.newAccumulator(curve, power, fresh);
      opts.onProgress?.(`stock ptau 2^${power}: powersoftau beacon`);
      const ok = await api.powersOfTau.beacon(
        fresh,
        beaconed,
        DEV_CONTRIBUTION_NAME,
        beaconHash,
        DEV_BEACON_ITERATIONS_EXP,
      );
      if (ok === false) throw new InvalidBeaconError(beaconHash, "refused by snarkjs powersoftau beacon");
      opts.onProgress?.(`stock ptau 2^${power}: powersoftau prepare phase2 (single-threaded, slow)`);
      await api.powersOfTau.preparePhase2(beaconed, prepared);
    });
    await rename(prepared, outPath);
  } finally {
    for (const p of [fresh, beaconed, prepared]) await rm(p, { force: true });
  }
}

export async function stockZkey(
  r1csPath: string,
  ptauPath: string,
  outPath: string,
  onProgress?: ProgressFn,
): Promise<void> {
  mkdirSync(dirname(outPath), { recursive: true });
  const tmp = tempPathFor(outPath);
  try {
    onProgress?.(`stock zkey: groth16 setup ${r1csPath}`);
    const res = await withSnarkjsCurve(() => snarkjsApi().zKey.newZKey(r1csPath, ptauPath, tmp));
    if (res === -1) {
      throw new CeremonyFileError(
        r1csPath,
        `snarkjs groth16 setup refused it with ${ptauPath} (too big, or not prepared)`,
      );
    }
    await rename(tmp, outPath);
  } finally {
    await rm(tmp, { force: true });
  }
}
