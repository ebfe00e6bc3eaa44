/**
 * Opens a prepared powers-of-tau file and recovers its secrets, which is
 * possible only for a development ceremony: one whose single contribution is
 * a public beacon. The recovered tau, alpha and beta are checked against the
 * file's own points, so a file from a real ceremony is refused, never misread.
 *
 * Contribution record (section 7, after [nContributions<4>]), points LEM:
 *   [tauG1<64>|tauG2<128>|alphaG1<64>|betaG1<64>|betaG2<128>|pubKey<768>|partialHash<216>|nextChallenge<64>|
 *    type<4>|paramsLength<4>|params] with params [1|len|name][2|iterationsExp][3|len|beaconHash]
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { BinFileReader } from "./binfile-reader";
import { deriveDevSecrets, type DevSecrets } from "./beacon";
import { CeremonyFileError } from "./errors";

export interface PreparedPtau {
  file: BinFileReader;
  power: number;
  secrets: DevSecrets;
  beaconHash: string;
  iterationsExp: number;
}

const TYPE_OFFSET = 64 + 128 + 64 + 64 + 128 + 768 + 216 + 64;

export async function openDevPtau(path: string): Promise<PreparedPtau> {
  const file = await BinFileReader.open(path, "ptau");
  try {
    const h = await file.read(1);
    const power = h.readUInt32LE(36);
    const ceremonyPower = h.readUInt32LE(40);
    if (power !== ceremonyPower) {
      throw new CeremonyFileError(
        path,
        `reduced file (power ${power} of ${ceremonyPower}); the secrets need the original`,
      );
    }
    for (const id of [2, 4, 5, 6, 7, 12, 13, 14, 15]) {
      if (!file.has(id)) throw new CeremonyFileError(path, `section ${id} is missing: not a prepared (phase 2) file`);
    }
    const c = await file.read(7);
    const count = c.readUInt32LE(0);
    const notDev = "only a development ceremony (one public beacon contribution) can be used by the fast zkey writer";
    if (count !== 1) throw new CeremonyFileError(path, `${count} contributions; ${notDev}`);
    const rec = c.subarray(4);
    const type = rec.readUInt32LE(TYPE_OFFSET);
    if (type !== 1) throw new CeremonyFileError(path, `contribution type ${type} is not a beacon; ${notDev}`);
    const paramsLength = rec.readUInt32LE(TYPE_OFFSET + 4);
    const params = rec.subarray(TYPE_OFFSET + 8, TYPE_OFFSET + 8 + paramsLength);
    let iterationsExp = -1;
    let beacon: Buffer | undefined;
    for (let i = 0; i < params.length;) {
      const kind = params[i++];
      if (kind === 1) i += 1 + params[i];
      else if (kind === 2) iterationsExp = params[i++];
      else if (kind === 3) {
        beacon = params.subarray(i + 1, i + 1 + params[i]);
        i += 1 + params[i];
      } else throw new CeremonyFileError(path, `unknown contribution parameter ${kind}`);
    }
    if (!beacon || iterationsExp < 0) throw new CeremonyFileError(path, `beacon contribution without its parameters`);
    const beaconHash = beacon.toString("hex");
    const secrets = await deriveDevSecrets(power, beaconHash, iterationsExp);

    // The recovered secrets must reproduce the file's tau·G1, alpha·G1 and beta·G1.
    const { curve } = secrets;
    const g1 = curve.G1;
    const expect = (secret: bigint, at: Buffer, what: string) => {
      const p = g1.toAffine(g1.timesFr(g1.g, curve.Fr.e(secret)));
      const buf = new Uint8Array(64);
      g1.toRprLEM(buf, 0, p);
      if (!Buffer.from(buf).equals(at)) {
        throw new CeremonyFileError(path, `${what} does not match the beacon's secret; ${notDev}`);
      }
    };
    expect(secrets.tau, await file.read(2, 64, 64), "tau·G1");
    expect(secrets.alpha, await file.read(4, 0, 64), "alpha·G1");
    expect(secrets.beta, await file.read(5, 0, 64), "beta·G1");
    return { file, power, secrets, beaconHash, iterationsExp };
  } catch (e) {
    await file.close();
    throw e;
  }
}
