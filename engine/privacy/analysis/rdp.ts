/**
 * Rényi differential privacy of the Poisson-subsampled Gaussian mechanism (the "sampled Gaussian
 * mechanism", SGM): each record enters a step independently with probability `sampleRate` (q), the
 * summed contributions have L2 sensitivity 1, and Gaussian noise of standard deviation
 * `noiseMultiplier` (σ) is added.
 *
 * I. Mironov, K. Talwar, L. Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 * arXiv:1908.10530 (2019). The RDP at order α is log(A_α)/(α − 1), with
 *   integer α (Sec. 3.3):     A_α = Σ_{k=0..α} C(α,k) (1−q)^(α−k) q^k exp((k² − k)/(2σ²));
 *   fractional α (Sec. 3.3):  A_α = A_α,0 + A_α,1, two convergent series with signed binomial
 *                             coefficients C(α,k) split at z₀ = σ² log(1/q − 1) + ½, each term
 *                             weighted by ½ erfc(·).
 * Everything is summed in log space (see log-space.ts); the series stop as Opacus's
 * `accountants/analysis/rdp.py` does, once a term falls below e^−30, so values agree with it.
 */
import { logAdd, logSub } from './log-space.ts';
import { logErfc } from './log-erfc.ts';

/** Opacus's RDPAccountant.DEFAULT_ALPHAS: 1.1, 1.2, …, 10.9, then 12, 13, …, 63. */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 52 }, (_, x) => 12 + x),
]);

/** C(n, k) for a real n and integer k ≥ 0, by the product formula (its sign alternates for real n < k). */
export function binomial(n: number, k: number): number {
  let value = 1;
  for (let i = 0; i < k; i += 1) value *= (n - i) / (i + 1);
  return value;
}

/** log(A_α) for an integer order α ≥ 2 and 0 < q < 1 (Sec. 3.3). */
export function logMomentIntegerOrder(sampleRate: number, noiseMultiplier: number, order: number): number {
  const logQ = Math.log(sampleRate);
  const logOneMinusQ = Math.log1p(-sampleRate);
  const twoSigmaSquared = 2 * noiseMultiplier * noiseMultiplier;
  let logA = -Infinity;
  for (let k = 0; k <= order; k += 1) {
    const logCoefficient = Math.log(binomial(order, k)) + k * logQ + (order - k) * logOneMinusQ;
    logA = logAdd(logA, logCoefficient + (k * k - k) / twoSigmaSquared);
  }
  return logA;
}

/** log(A_α) for a fractional order α > 1 and 0 < q < 1: the exact signed series of Sec. 3.3. */
export function logMomentFractionalOrder(sampleRate: number, noiseMultiplier: number, order: number): number {
  const sigma = noiseMultiplier;
  const logQ = Math.log(sampleRate);
  const logOneMinusQ = Math.log1p(-sampleRate);
  const z0 = sigma * sigma * Math.log(1 / sampleRate - 1) + 0.5;
  const twoSigmaSquared = 2 * sigma * sigma;
  const erfcScale = Math.SQRT2 * sigma;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  for (let i = 0; ; i += 1) {
    const coefficient = binomial(order, i);
    const logCoefficient = Math.log(Math.abs(coefficient));
    const j = order - i;
    const logT0 = logCoefficient + i * logQ + j * logOneMinusQ;
    const logT1 = logCoefficient + j * logQ + i * logOneMinusQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / erfcScale);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / erfcScale);
    const logS0 = logT0 + (i * i - i) / twoSigmaSquared + logE0;
    const logS1 = logT1 + (j * j - j) / twoSigmaSquared + logE1;
    if (coefficient > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/** RDP of one step of the SGM at one order α > 1 (may be +∞). */
export function rdpOfOneStep(sampleRate: number, noiseMultiplier: number, order: number): number {
  if (sampleRate === 0) return 0;
  if (noiseMultiplier === 0) return Infinity;
  // Without subsampling the mechanism is the Gaussian one: α/(2σ²) (Mironov 2017, Prop. 7).
  if (sampleRate === 1) return order / (2 * noiseMultiplier * noiseMultiplier);
  if (order === Infinity) return Infinity;
  const logA = Number.isInteger(order)
    ? logMomentIntegerOrder(sampleRate, noiseMultiplier, order)
    : logMomentFractionalOrder(sampleRate, noiseMultiplier, order);
  return logA / (order - 1);
}

export interface SgmParameters {
  readonly sampleRate: number;
  readonly noiseMultiplier: number;
  readonly steps: number;
  readonly orders: readonly number[];
}

/**
 * RDP of `steps` compositions of the SGM at each order: RDP composes additively (Mironov 2017,
 * Proposition 1), so it is `steps` times the one-step value.
 */
export function computeRdp({ sampleRate, noiseMultiplier, steps, orders }: SgmParameters): number[] {
  return orders.map((order) => steps * rdpOfOneStep(sampleRate, noiseMultiplier, order));
}
