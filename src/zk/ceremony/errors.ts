/**
 * Errors raised by the development ceremony. Each message names the input
 * (a file, a circuit, a power) and what is wrong with it.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */

/** Base class: catch this to handle any ceremony failure. */
export class CeremonyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A power of tau outside what the generator (or the curve) supports. */
export class InvalidPowerError extends CeremonyError {
  constructor(
    readonly power: number,
    reason: string,
  ) {
    super(`powers of tau: power ${power} is invalid: ${reason}`);
  }
}

/** A beacon hash that is not 1..255 bytes of hexadecimal. */
export class InvalidBeaconError extends CeremonyError {
  constructor(
    readonly beaconHash: string,
    reason: string,
  ) {
    super(`beacon hash "${beaconHash}": ${reason}`);
  }
}

/** A .ptau, .r1cs or .zkey file that is malformed or does not fit the request. */
export class CeremonyFileError extends CeremonyError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A circuit too large for the powers-of-tau file it was paired with. */
export class CircuitTooLargeError extends CeremonyError {
  constructor(
    readonly r1csPath: string,
    readonly circuitPower: number,
    readonly ptauPower: number,
  ) {
    super(
      `${r1csPath}: circuit needs a domain of 2^${circuitPower} but the powers of tau file has power ${ptauPower}; ` +
        `use a file of power >= ${circuitPower + 1}`,
    );
  }
}

/** A circuit that failed to compile or could not be found. */
export class CircuitCompileError extends CeremonyError {
  constructor(
    readonly circuit: string,
    reason: string,
  ) {
    super(`circuit "${circuit}": ${reason}`);
  }
}
