/**
 * The channel system's knobs, in one place. Scenario files may override them
 * (`params.disputePeriod`, `params.htlcDelta`); everything else reads them here.
 */
export interface ChannelParams {
  /** Seconds the other side (or its watchtower) has to answer a unilateral close. */
  disputePeriod: number;
  /**
   * Seconds by which each hop's lock expires before the one upstream of it. A
   * node that learns a preimage on L1 at its outgoing lock's expiry still has
   * this long to redeem its incoming lock.
   */
  htlcDelta: number;
}

export const DEFAULT_CHANNEL_PARAMS: Readonly<ChannelParams> = Object.freeze({
  disputePeriod: 86_400,
  htlcDelta: 3_600,
});

export class ChannelParamsError extends Error {
  constructor(field: string, value: unknown, why: string) {
    super(`channel params: ${field} = ${String(value)} ${why}`);
    this.name = "ChannelParamsError";
  }
}

/** Fills unset params with the defaults and checks the result. */
export function channelParams(overrides: Partial<ChannelParams> = {}): ChannelParams {
  const params: ChannelParams = {
    disputePeriod: overrides.disputePeriod ?? DEFAULT_CHANNEL_PARAMS.disputePeriod,
    htlcDelta: overrides.htlcDelta ?? DEFAULT_CHANNEL_PARAMS.htlcDelta,
  };
  for (const [field, value] of Object.entries(params)) {
    if (!Number.isSafeInteger(value) || value <= 0 || value > 0xffffffff) {
      throw new ChannelParamsError(field, value, "must be a whole number of seconds between 1 and 2^32 - 1");
    }
  }
  return params;
}
