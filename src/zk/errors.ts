/**
 * Errors of the zk rollup's off-chain code. Each message names the input and what is wrong with it.
 */

/** Base class: catch this to handle any zk rollup failure. */
export class ZkRollupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value that a packed layout cannot carry (an amount with too many digits, an index too large, ...). */
export class EncodingError extends ZkRollupError {}

/** An operation the L2 state refuses: unknown account, bad nonce, balance too low, bad signature. */
export class InvalidOperationError extends ZkRollupError {}

/** The circuit, its keys or the prover failed. */
export class ProverError extends ZkRollupError {}
