/**
 * RDP of the sampled Gaussian mechanism. Expected values come from
 *  - tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py
 *    (test_compute_rdp_scalar, test_compute_rdp_sequence, test_compute_rdp_no_data, test_compute_rdp_no_sampling);
 *  - an independent numerical integration of the defining moment
 *    A_α = E_{z∼N(0,σ²)} [(1 − q + q·e^((2z − 1)/(2σ²)))^α]   (Mironov, Talwar, Zhang 2019, Sec. 3),
 *    the same check TF Privacy's test_compute_log_a_equals_mp does with mpmath.
 */
import { describe, expect, it } from 'vitest';
import {
  computeRdp,
  DEFAULT_ORDERS,
  logMomentFractionalOrder,
  logMomentIntegerOrder,
  rdpOfOneStep,
} from '../../../../engine/privacy/analysis/rdp.ts';

/** log A_α by the trapezoid rule on a fine grid (spectrally accurate for this smooth, fast-decaying integrand). */
function logMomentByQuadrature(q: number, sigma: number, alpha: number): number {
  const h = sigma / 40;
  const from = -14 * sigma;
  const to = alpha + 14 * sigma;
  let excess = 0; // ∫ φ(z) [(1 − q + q r(z))^α − 1] dz, kept apart from 1 so that small log A stay accurate
  for (let z = from; z <= to; z += h) {
    const density = Math.exp(-(z * z) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    const ratioMinusOne = Math.expm1((2 * z - 1) / (2 * sigma * sigma));
    excess += h * density * Math.expm1(alpha * Math.log1p(q * ratioMinusOne));
  }
  return Math.log1p(excess);
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('RDP of the sampled Gaussian mechanism', () => {
  it("reproduces TF Privacy's test_compute_rdp_scalar: q = 0.1, σ = 2, 10 steps, α = 5 → 0.07737", () => {
    const [rdp] = computeRdp({ sampleRate: 0.1, noiseMultiplier: 2, steps: 10, orders: [5] });
    expect(rdp).toBeCloseTo(0.07737, 5);
  });

  it("reproduces TF Privacy's test_compute_rdp_sequence, fractional orders included", () => {
    const rdp = computeRdp({
      sampleRate: 0.01,
      noiseMultiplier: 2.5,
      steps: 50,
      orders: [1.5, 2.5, 5, 50, 100, Infinity],
    });
    const expected = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307];
    expected.forEach((value, index) => expect(Math.abs((rdp[index] ?? NaN) - value)).toBeLessThan(1e-5));
    expect(rdp[5]).toBe(Infinity);
  });

  it('is 0 without data and α/(2σ²) without subsampling (TF Privacy no_data / no_sampling cases)', () => {
    expect(rdpOfOneStep(0, 10, 20)).toBe(0);
    expect(rdpOfOneStep(1, 10, 20)).toBe(0.1);
  });

  it('matches numerical integration of A_α at integer orders', () => {
    const cases: [number, number, number][] = [
      [0.04, 1.5, 2],
      [0.04, 1.5, 32],
      [1e-3, 1, 2],
      [0.01, 10, 20],
      [0.2, 0.8, 7],
    ];
    for (const [q, sigma, alpha] of cases) {
      const reference = logMomentByQuadrature(q, sigma, alpha);
      expect(relativeError(logMomentIntegerOrder(q, sigma, alpha), reference), `${q} ${sigma} ${alpha}`).toBeLessThan(
        1e-8,
      );
    }
  });

  it('matches numerical integration of A_α at fractional orders (exact signed series)', () => {
    const cases: [number, number, number][] = [
      [0.04, 1.5, 3.9],
      [0.04, 1.5, 10.7],
      [0.1, 100, 20.5],
      [0.01, 2.5, 1.1],
      [0.3, 1.2, 5.5],
    ];
    for (const [q, sigma, alpha] of cases) {
      const reference = logMomentByQuadrature(q, sigma, alpha);
      expect(
        relativeError(logMomentFractionalOrder(q, sigma, alpha), reference),
        `${q} ${sigma} ${alpha}`,
      ).toBeLessThan(1e-8);
    }
  });

  it("stays within TF Privacy's rtol 1e-4 where log A is tiny and the e^−30 series cut-off dominates", () => {
    // q = 1e-4, σ = 1, α = 1.5 is one of test_compute_log_a_equals_mp's cases; log A ≈ 1e-8 there, so
    // the terms the series drops (below e^−30, as Opacus and TF Privacy drop them) matter at 1e-7.
    const reference = logMomentByQuadrature(1e-4, 1, 1.5);
    expect(relativeError(logMomentFractionalOrder(1e-4, 1, 1.5), reference)).toBeLessThan(1e-4);
  });

  it('is continuous where the fractional series meets the integer formula', () => {
    const atInteger = rdpOfOneStep(0.04, 1.5, 4);
    const justAbove = rdpOfOneStep(0.04, 1.5, 4 + 1e-9);
    expect(relativeError(justAbove, atInteger)).toBeLessThan(1e-6);
  });

  it('uses Opacus default orders: 1.1 … 10.9 in steps of 0.1, then 12 … 63', () => {
    expect(DEFAULT_ORDERS).toHaveLength(99 + 52);
    expect(DEFAULT_ORDERS[0]).toBeCloseTo(1.1, 15);
    expect(DEFAULT_ORDERS[98]).toBeCloseTo(10.9, 15);
    expect(DEFAULT_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(DEFAULT_ORDERS.at(-1)).toBe(63);
  });

  it('grows with the order and the sample rate and shrinks with the noise', () => {
    const curve = computeRdp({ sampleRate: 0.05, noiseMultiplier: 1.1, steps: 1, orders: DEFAULT_ORDERS });
    curve.slice(1).forEach((value, index) => expect(value).toBeGreaterThanOrEqual(curve[index] ?? Infinity));
    expect(rdpOfOneStep(0.1, 1.1, 8)).toBeGreaterThan(rdpOfOneStep(0.05, 1.1, 8));
    expect(rdpOfOneStep(0.05, 2, 8)).toBeLessThan(rdpOfOneStep(0.05, 1.1, 8));
  });
});
