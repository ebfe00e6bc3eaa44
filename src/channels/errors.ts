/**
 * Why a node refuses something. Every message names the channel and the
 * field or value at fault, so a failed scenario step says what was wrong.
 */

/** Base class: a node refused a state, a lock or a request. */
export class ChannelRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownChannelError extends ChannelRefusal {
  constructor(who: string, what: string) {
    super(`${who}: no channel ${what}`);
  }
}

export class BadSignatureError extends ChannelRefusal {
  constructor(channelId: bigint, what: string, expected: string, recovered: string | null) {
    super(`channel ${channelId}: ${what} is not signed by ${expected} (recovered ${recovered ?? "nothing"})`);
  }
}

export class WrongNonceError extends ChannelRefusal {
  constructor(channelId: bigint, expected: bigint, got: bigint) {
    super(`channel ${channelId}: state nonce ${got}, expected ${expected}`);
  }
}

export class BalancesDoNotAddUpError extends ChannelRefusal {
  constructor(channelId: bigint, balancesAndLocks: bigint, deposits: bigint) {
    super(`channel ${channelId}: balances + locks = ${balancesAndLocks} wei but deposits = ${deposits} wei`);
  }
}

export class StateMismatchError extends ChannelRefusal {
  constructor(channelId: bigint, field: string, expected: unknown, got: unknown) {
    super(`channel ${channelId}: proposed ${field} is ${String(got)}, expected ${String(expected)}`);
  }
}

export class InsufficientBalanceError extends ChannelRefusal {
  constructor(channelId: bigint, side: string, balance: bigint, amount: bigint) {
    super(`channel ${channelId}: ${side} has ${balance} wei, cannot send ${amount} wei`);
  }
}

export class UpdateNotAllowedError extends ChannelRefusal {
  constructor(channelId: bigint, why: string) {
    super(`channel ${channelId}: ${why}`);
  }
}

export class LockError extends ChannelRefusal {
  constructor(channelId: bigint, hashlock: string, why: string) {
    super(`channel ${channelId}: lock ${hashlock.slice(0, 10)}…: ${why}`);
  }
}

export class ChannelNotOpenError extends ChannelRefusal {
  constructor(channelId: bigint, status: string) {
    super(`channel ${channelId} is ${status}, not open`);
  }
}

export class NoRouteError extends ChannelRefusal {
  constructor(from: string, to: string, amount: bigint) {
    super(`no route from ${from} to ${to} with capacity for ${amount} wei`);
  }
}

export class PaymentDeclinedError extends ChannelRefusal {
  constructor(by: string, why: string) {
    super(`${by} declined the payment: ${why}`);
  }
}
