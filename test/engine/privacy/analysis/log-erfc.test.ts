import { describe, expect, it } from 'vitest';
import { logErfc } from '../../../../engine/privacy/analysis/log-erfc.ts';

/** erfc(x) = 2/√π ∫_x^∞ e^(−t²) dt by composite Simpson on [x, x + 12] (the rest is below e^−144). */
function erfcByQuadrature(x: number): number {
  const intervals = 24_000;
  const h = 12 / intervals;
  let sum = 0;
  for (let i = 0; i <= intervals; i += 1) {
    const t = x + i * h;
    const weight = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * Math.exp(-t * t);
  }
  return ((2 / Math.sqrt(Math.PI)) * (sum * h)) / 3;
}

/** Leading terms of the asymptotic series (A&S 7.1.23); at x ≥ 20 the truncation error is < 1e-17 relative. */
function logErfcAsymptotic(x: number): number {
  const u = 1 / (2 * x * x);
  const series = 1 - u + 3 * u ** 2 - 15 * u ** 3 + 105 * u ** 4 - 945 * u ** 5;
  return -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log(series);
}

describe('logErfc', () => {
  it('matches a quadrature of the defining integral across the three regimes', () => {
    for (const x of [0, 0.1, 0.49, 0.5, 0.9, 1, 1.7, 2.4, 2.5, 2.6, 3.3, 4.5, 6]) {
      const reference = Math.log(erfcByQuadrature(x));
      expect(Math.abs(logErfc(x) - reference), `x = ${x}`).toBeLessThan(1e-11 * Math.max(1, Math.abs(reference)));
    }
  });

  it('matches the asymptotic series far in the tail, where erfc itself underflows', () => {
    for (const x of [20, 27.5, 40, 100]) {
      expect(logErfc(x)).toBeCloseTo(logErfcAsymptotic(x), 10);
    }
    expect(Number.isFinite(logErfc(40))).toBe(true);
  });

  it('follows erfc(−x) = 2 − erfc(x) for negative arguments', () => {
    for (const x of [0.2, 0.5, 1, 2.5, 5, 30]) {
      expect(Math.exp(logErfc(-x))).toBeCloseTo(2 - Math.exp(logErfc(x)), 14);
    }
    expect(logErfc(-Infinity)).toBe(Math.LN2);
    expect(logErfc(Infinity)).toBe(-Infinity);
  });

  it('agrees with tabulated values (A&S Table 7.1; erfc(1) = 0.157299207050285, erfc(2) = 0.004677734981047)', () => {
    expect(Math.exp(logErfc(1))).toBeCloseTo(0.157299207050285, 14);
    expect(Math.abs(Math.exp(logErfc(2)) / 0.004677734981047266 - 1)).toBeLessThan(1e-12);
  });
});
