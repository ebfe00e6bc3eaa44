/**
 * Exact conversion between decimal ETH strings (as scenario files write
 * amounts) and wei. No floating point anywhere: "0.1" is exactly 10^17 wei.
 */

export const WEI_PER_ETH = 10n ** 18n;

/** A decimal ETH amount: digits, optionally a point and 1 to 18 more digits; no sign, exponent or leading zeros. */
export const ETH_AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/;

export class EthAmountError extends Error {
  constructor(readonly input: string) {
    super(`not a decimal ETH amount (${JSON.stringify(input)}): write digits with at most 18 decimals, like "0.25"`);
    this.name = "EthAmountError";
  }
}

/** `"1.5"` → `1500000000000000000n`. Throws `EthAmountError` for anything that is not a plain decimal amount. */
export function ethToWei(s: string): bigint {
  if (!ETH_AMOUNT_PATTERN.test(s)) throw new EthAmountError(s);
  const [whole, fraction = ""] = s.split(".");
  return BigInt(whole) * WEI_PER_ETH + BigInt(fraction.padEnd(18, "0"));
}

/** `1500000000000000000n` → `"1.5"`: the shortest exact decimal, the inverse of `ethToWei`. */
export function weiToEth(w: bigint): string {
  if (w < 0n) return `-${weiToEth(-w)}`;
  const whole = w / WEI_PER_ETH;
  const fraction = (w % WEI_PER_ETH).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
