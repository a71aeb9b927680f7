/**
 * Exact arithmetic for the scoring rule, on plain numbers kept to safe integers. No BigInt: this
 * file runs in the mini-program too, and older WeChat engines lack it (a `1n` literal is a syntax
 * error there, which would break the whole bundle, not just this code path).
 *
 * Callers keep every numerator and denominator a safe integer (< 2^53); the scoring rule bounds
 * its rubric scale so that the sums it builds stay far below that.
 */

/** num / den, den > 0, in lowest terms when built by `fraction`. */
export interface Fraction {
  num: number;
  den: number;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** num / den in lowest terms (den > 0). */
export function fraction(num: number, den: number): Fraction {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den) || 1;
  // `+ 0` turns -0 into 0, so a zero fraction serialises and compares as one value.
  return { num: num / g + 0, den: den / g };
}

/**
 * ⌊a / b⌋ for safe integers, b > 0. The float quotient can land on the wrong side of an integer
 * when it is within an ulp of it, so the remainder corrects it.
 */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (r < 0) q -= 1;
  else if (r >= b) q += 1;
  return q;
}

/**
 * num / den rounded half up (toward +∞ on a tie) to hundredths, as an integer count of
 * hundredths: 87.125 → 8713. Exact for any safe integers with 200·den a safe integer, because
 * the whole part is split off before multiplying.
 */
export function hundredthsOf(num: number, den: number): number {
  const whole = floorDiv(num, den);
  const rest = num - whole * den; // 0 ≤ rest < den
  return whole * 100 + floorDiv(200 * rest + den, 2 * den);
}

/**
 * A floating-point value (normalised scores only) rounded half up to hundredths. ×100 lands
 * 71.875 on 7187.499999999999; a decimal stands for itself, so the product is first read back at
 * 12 significant digits (far above the noise, far below any real difference) before rounding.
 */
export function hundredthsOfFloat(x: number): number {
  return Math.floor(Number((x * 100).toPrecision(12)) + 0.5);
}

/** 8713 → "87.13", -5 → "-0.05". */
export function formatHundredths(h: number): string {
  const sign = h < 0 ? '-' : '';
  const a = Math.abs(h);
  const cents = a % 100;
  return `${sign}${(a - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

