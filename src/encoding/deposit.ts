/**
 * The L1 deposit queue's hash chain, mirrored from contracts/libraries/DepositQueue.sol.
 *
 *   chain[0] = 0x00..00 (no deposits)
 *   chain[n] = keccak256(chain[n-1] ‖ sender ‖ recipient ‖ amount)
 *   // [prev<32>|sender<20>|recipient<32>|amount<32>], 116 bytes (abi.encodePacked)
 *
 * A batch names the deposits it applied by the chain hashes before and after
 * them; anyone holding the deposit list (rebuilt from DepositQueued events by
 * readDeposits) can recompute both.
 */
import { BaseContract, EventLog, ZeroHash, getAddress, isAddress, isHexString, solidityPackedKeccak256 } from "ethers";

/** One deposit: who paid on L1, which L2 account is credited (32 bytes, hex), and how many wei. */
export interface Deposit {
  sender: string;
  recipient: string;
  amount: bigint;
}

/** A deposit as the queue recorded it. `index` counts from 0 in queue order. */
export interface QueuedDeposit extends Deposit {
  index: number;
  /** The chain hash after this deposit (chain[index + 1]). */
  chainHash: string;
  blockNumber: number;
  transactionHash: string;
}

/** A deposit, chain hash or event that does not fit the layout or the chain. */
export class DepositError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DepositError";
  }
}

const UINT256_LIMIT = 1n << 256n;

function checkBytes32(what: string, value: string): void {
  if (!isHexString(value, 32)) throw new DepositError(`${what}: "${value}" is not 32 bytes of 0x-prefixed hex`);
}

/** Checks a deposit's fields fit the packed layout (sender 20 bytes, recipient 32, amount a uint256). */
export function checkDeposit(d: Deposit, where = "deposit"): void {
  if (!isAddress(d.sender)) throw new DepositError(`${where}.sender: "${d.sender}" is not an address`);
  checkBytes32(`${where}.recipient`, d.recipient);
  if (d.amount < 0n || d.amount >= UINT256_LIMIT) {
    throw new DepositError(`${where}.amount: ${d.amount} does not fit a uint256`);
  }
}

/** An L1 address as an L2 recipient: left-padded to 32 bytes, as `bytes32(uint256(uint160(addr)))` in Solidity. */
export function addressToRecipient(address: string): string {
  if (!isAddress(address)) throw new DepositError(`recipient address "${address}" is not an address`);
  return "0x" + getAddress(address).slice(2).toLowerCase().padStart(64, "0");
}

/** The chain hash after `d`, given the chain hash `prev` before it (ZeroHash for the first deposit). */
export function hashDeposit(prev: string, d: { sender: string; recipient: string; amount: bigint }): string {
  checkBytes32("previous chain hash", prev);
  checkDeposit(d);
  return solidityPackedKeccak256(
    ["bytes32", "address", "bytes32", "uint256"],
    [prev, getAddress(d.sender), d.recipient, d.amount],
  );
}

/** The deposit queue's hash chain, kept off-chain: what DepositQueue.sol stores, plus the deposits themselves. */
export class DepositChain {
  private readonly deposits: Deposit[] = [];
  /** hashes[n] = chain hash after n deposits; hashes[0] = ZeroHash. */
  private readonly hashes: string[] = [ZeroHash];

  constructor(deposits: Iterable<Deposit> = []) {
    for (const d of deposits) this.push(d);
  }

  /** How many deposits the chain holds. */
  get length(): number {
    return this.deposits.length;
  }

  /** The chain hash after the newest deposit (ZeroHash when empty). */
  get head(): string {
    return this.hashes[this.hashes.length - 1];
  }

  /** Appends a deposit; like DepositQueue.sol, refuses 0 wei. Returns its index and the new chain hash. */
  push(d: Deposit): { index: number; chainHash: string } {
    const index = this.deposits.length;
    checkDeposit(d, `deposit ${index}`);
    if (d.amount === 0n) throw new DepositError(`deposit ${index}.amount: a deposit of 0 wei is refused`);
    const chainHash = hashDeposit(this.head, d);
    this.deposits.push({ sender: getAddress(d.sender), recipient: d.recipient.toLowerCase(), amount: d.amount });
    this.hashes.push(chainHash);
    return { index, chainHash };
  }

  /** The chain hash after the first `count` deposits (ZeroHash for 0), as depositChainHash(count) on L1. */
  hashAt(count: number): string {
    if (!Number.isInteger(count) || count < 0 || count > this.deposits.length) {
      throw new DepositError(`chain hash after ${count} deposits: the chain holds ${this.deposits.length}`);
    }
    return this.hashes[count];
  }

  /** Deposit `index` (0-based). */
  get(index: number): Deposit {
    const d = this.deposits[index];
    if (d === undefined) throw new DepositError(`deposit ${index}: the chain holds ${this.deposits.length}`);
    return { ...d };
  }

  /** Deposits [fromIndex, toIndex), e.g. the ones a batch consumes. */
  slice(fromIndex: number, toIndex: number): Deposit[] {
    if (!Number.isInteger(fromIndex) || !Number.isInteger(toIndex) || fromIndex < 0 || fromIndex > toIndex) {
      throw new DepositError(`deposits [${fromIndex}, ${toIndex}): not a range`);
    }
    if (toIndex > this.deposits.length) {
      throw new DepositError(`deposits [${fromIndex}, ${toIndex}): the chain holds ${this.deposits.length}`);
    }
    return this.deposits.slice(fromIndex, toIndex).map((d) => ({ ...d }));
  }
}

/**
 * The chain hash before deposit `index`: ZeroHash for the first, otherwise
 * depositChainHash(index) read from the contract (the chain is append-only,
 * so today's value is the one the event followed), or undefined if the ABI
 * has no such function.
 */
async function chainHashBefore(contract: BaseContract, index: number): Promise<string | undefined> {
  if (index === 0) return ZeroHash;
  if (contract.interface.getFunction("depositChainHash") === null) return undefined;
  return (await contract.getFunction("depositChainHash").staticCall(index)) as string;
}

/**
 * Rebuilds the queue of a contract that inherits DepositQueue from its
 * DepositQueued events, oldest first, checking every link of the chain: the
 * indexes must be consecutive and each event's chainHash must follow from the
 * one before (the first one read from ZeroHash, or from the contract's
 * depositChainHash when reading from a later block). Throws DepositError
 * naming the event that breaks the chain.
 */
export async function readDeposits(contract: BaseContract, fromBlock = 0): Promise<QueuedDeposit[]> {
  const logs = await contract.queryFilter("DepositQueued", fromBlock);
  const deposits: QueuedDeposit[] = [];
  for (const log of logs) {
    if (!(log instanceof EventLog)) {
      throw new DepositError(`DepositQueued log in tx ${log.transactionHash}: could not be decoded with the ABI`);
    }
    const [index, sender, recipient, amount, chainHash] = log.args as unknown as [
      bigint,
      string,
      string,
      bigint,
      string,
    ];
    const d: QueuedDeposit = {
      index: Number(index),
      sender: getAddress(sender),
      recipient: recipient.toLowerCase(),
      amount,
      chainHash,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
    };
    const previous = deposits[deposits.length - 1];
    if (previous !== undefined && d.index !== previous.index + 1) {
      throw new DepositError(`DepositQueued ${d.index}: expected index ${previous.index + 1} (an event is missing)`);
    }
    const prevHash = previous?.chainHash ?? (await chainHashBefore(contract, d.index));
    if (prevHash !== undefined && hashDeposit(prevHash, d) !== chainHash) {
      throw new DepositError(`DepositQueued ${d.index}: chainHash ${chainHash} does not follow from the deposit`);
    }
    deposits.push(d);
  }
  return deposits;
}
