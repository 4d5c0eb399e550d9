// Exact non-negative fractions for PSS (a page mapped by three processes counts 1/3 to each).
// BigInt, because a sum of 1/k over many different map counts k has a denominator that is the
// least common multiple of them all, which outgrows a double quickly. Values are always reduced.

export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

export const ZERO_RATIO: Ratio = { num: 0n, den: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function ratio(num: bigint, den: bigint): Ratio {
  if (den <= 0n) throw new RangeError('a ratio needs a positive denominator');
  const g = gcd(num, den);
  return g <= 1n ? { num, den } : { num: num / g, den: den / g };
}

export function addRatio(a: Ratio, b: Ratio): Ratio {
  if (a.den === b.den) return ratio(a.num + b.num, a.den);
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareRatio(a: Ratio, b: Ratio): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * A decimal literal ("2.5", "7", "1_000.25") as an exact ratio; undefined when it is not one.
 */
export function parseDecimal(text: string): Ratio | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  return ratio(BigInt(whole + frac), 10n ** BigInt(frac.length));
}

/** True when the ratio has a finite decimal expansion (its denominator has only 2s and 5s). */
export function isTerminating(r: Ratio): boolean {
  let d = r.den;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  return d === 1n;
}

/**
 * The ratio in decimal: exact when it terminates ("2.5", "0.125"), otherwise rounded half up
 * to `places` digits ("2.333333"). Trailing zeros are dropped.
 */
export function ratioToDecimal(r: Ratio, places = 6): string {
  const whole = r.num / r.den;
  let rest = r.num % r.den;
  if (rest === 0n) return whole.toString();
  if (isTerminating(r)) {
    let digits = '';
    while (rest !== 0n) {
      rest *= 10n;
      digits += (rest / r.den).toString();
      rest %= r.den;
    }
    return `${whole}.${digits}`;
  }
  const scale = 10n ** BigInt(places);
  const scaled = (r.num * scale * 2n + r.den) / (2n * r.den);
  const w = scaled / scale;
  const f = (scaled % scale).toString().padStart(places, '0').replace(/0+$/, '');
  return f === '' ? w.toString() : `${w}.${f}`;
}

/** "7/3" style, or just the integer. */
export function ratioToFraction(r: Ratio): string {
  return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
}

/** A double close to the ratio, for bars and charts (never for comparisons). */
export function ratioToNumber(r: Ratio): number {
  const whole = r.num / r.den;
  return Number(whole) + Number(((r.num % r.den) * 1_000_000n) / r.den) / 1_000_000;
}
