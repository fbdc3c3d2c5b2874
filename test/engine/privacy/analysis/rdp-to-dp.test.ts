/**
 * RDP → (ε, δ) by Balle et al. 2020, Theorem 21. Expected values from tensorflow/privacy,
 * tensorflow_privacy/privacy/analysis/rdp_accountant_test.py (test_get_privacy_spent_check_target_delta),
 * whose conversion is the same formula.
 */
import { describe, expect, it } from 'vitest';
import { computeRdp } from '../../../../engine/privacy/analysis/rdp.ts';
import { epsilonAtOrder, epsilonFromRdp } from '../../../../engine/privacy/analysis/rdp-to-dp.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('RDP to (ε, δ) conversion', () => {
  it('constant RDP 1.1 over orders 2…32 at δ = 1e-5 → ε = 1.32783806176 at order 32, with a warning', () => {
    const orders = range(2, 33);
    const result = epsilonFromRdp(
      orders,
      orders.map(() => 1.1),
      1e-5,
    );
    expect(result.order).toBe(32);
    expect(result.epsilon).toBeCloseTo(1.32783806176, 10);
    expect(result.warning).toMatch(/largest/);
  });

  it('hand-checked value: ρ = 1.1, α = 32, δ = 1e-5 → 1.1 + ln(31/32) − (ln 1e-5 + ln 32)/31', () => {
    const byHand = 1.1 + Math.log(31 / 32) - (Math.log(1e-5) + Math.log(32)) / 31;
    expect(epsilonAtOrder(1.1, 32, 1e-5)).toBe(byHand);
  });

  it('Gaussian mechanism σ = 4.530877117 (no subsampling) is (1, 1e-6)-DP over a fine grid of orders', () => {
    // TF Privacy picks this σ to give exactly ε = 1 at δ = 1e-6; its grid starts at 1.0, ours at 1.001 (> 1).
    const orders = range(1001, 100_000).map((i) => 0.001 * i);
    const rdp = computeRdp({ sampleRate: 1, noiseMultiplier: 4.530877117, steps: 1, orders });
    expect(epsilonFromRdp(orders, rdp, 1e-6).epsilon).toBeCloseTo(1, 7);
  });

  it('warns when the best order is the smallest, and not when it is inside the list', () => {
    expect(epsilonFromRdp([2, 3, 4], [0.01, 50, 90], 1e-5).warning).toMatch(/smallest/);
    const inside = epsilonFromRdp([2, 8, 64], [4, 0.5, 100], 1e-5);
    expect(inside.order).toBe(8);
    expect(inside.warning).toBeUndefined();
  });

  it('rejects mismatched lists', () => {
    expect(() => epsilonFromRdp([2, 3], [1], 1e-5)).toThrow(/same length/);
  });
});
