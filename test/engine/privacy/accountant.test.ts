/**
 * The accountant against published values:
 *  - pytorch/opacus, opacus/tests/accountants_test.py (test_rdp_accountant): σ = 1.5, q = 0.04,
 *    int(90 / 0.04) = 2250 steps, δ = 1e-5 → ε = 7.32911117143;
 *  - pytorch/opacus, opacus/accountants/analysis/rdp.py (module docstring example): steps
 *    [(q 1e-5, σ 1.0, 10), (q 1e-4, σ 3.0, 4)], orders 2…32, δ = 1e-5 → (ε 0.336, order 23);
 *  - tensorflow/privacy, tensorflow_privacy/privacy/analysis/rdp_accountant_test.py (test_check_composition):
 *    (q 1e-4, σ 0.4, 40000 steps) then (q 0.1, σ 2, 100 steps), δ = 1e-5 → ε ≤ 8.509656.
 */
import { describe, expect, it } from 'vitest';
import { epsilonFor, RdpAccountant } from '../../../engine/privacy/accountant.ts';
import { DEFAULT_ORDERS, computeRdp } from '../../../engine/privacy/analysis/rdp.ts';
import { epsilonFromRdp } from '../../../engine/privacy/analysis/rdp-to-dp.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('RdpAccountant', () => {
  it("matches Opacus's test_rdp_accountant to 1e-6 relative: ε = 7.32911117143", () => {
    const accountant = new RdpAccountant();
    accountant.record({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 });
    const { epsilon, warning } = accountant.getEpsilon(1e-5);
    expect(Math.abs(epsilon / 7.32911117143 - 1)).toBeLessThan(1e-6);
    expect(warning).toBeUndefined();
  });

  it('gives the same ε for 2250 single steps as for one record of 2250 (Opacus steps one at a time)', () => {
    const accountant = new RdpAccountant();
    for (let i = 0; i < 2250; i += 1) accountant.record({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 1 });
    expect(accountant.history()).toEqual([{ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 }]);
    expect(accountant.getEpsilon(1e-5).epsilon).toBeCloseTo(7.32911117143, 9);
  });

  it("matches Opacus's heterogeneous docstring example: (0.336, 23)", () => {
    const history = [
      { sampleRate: 1e-5, noiseMultiplier: 1.0, steps: 10 },
      { sampleRate: 1e-4, noiseMultiplier: 3.0, steps: 4 },
    ];
    const { epsilon, order } = epsilonFor(history, 1e-5, range(2, 33));
    expect(epsilon).toBeCloseTo(0.336, 3);
    expect(order).toBe(23);
  });

  it("stays within TF Privacy's composition bound 8.509656 and composes RDP additively", () => {
    const orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
    const first = { sampleRate: 1e-4, noiseMultiplier: 0.4, steps: 40000 };
    const second = { sampleRate: 0.1, noiseMultiplier: 2, steps: 100 };
    const accountant = new RdpAccountant([first]);
    accountant.record(second);
    const combined = accountant.getEpsilon(1e-5, orders);
    expect(combined.epsilon).toBeLessThanOrEqual(8.509656);
    const summed = computeRdp({ ...first, orders }).map((rdp, i) => rdp + (computeRdp({ ...second, orders })[i] ?? 0));
    expect(combined.epsilon).toBe(epsilonFromRdp(orders, summed, 1e-5).epsilon);
    expect(combined.epsilon).toBeGreaterThan(accountant.getEpsilon(1e-5, orders).epsilon - 1e-12);
    expect(combined.epsilon).toBeGreaterThan(new RdpAccountant([first]).getEpsilon(1e-5, orders).epsilon);
  });

  it('serializes: an accountant rebuilt from its JSON history reports the same ε', () => {
    const accountant = new RdpAccountant();
    accountant.record({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 300 });
    accountant.record({ noiseMultiplier: 0.9, sampleRate: 0.02, steps: 50 });
    const restored = new RdpAccountant(JSON.parse(JSON.stringify(accountant.history())));
    expect(restored.getEpsilon(1e-6)).toEqual(accountant.getEpsilon(1e-6));
    expect(restored.history()).toHaveLength(2);
  });

  it('hands out copies of its history, never its own state', () => {
    const accountant = new RdpAccountant([{ noiseMultiplier: 1, sampleRate: 0.1, steps: 5 }]);
    const copy = accountant.history();
    (copy[0] as { steps: number }).steps = 1_000_000;
    expect(accountant.history()[0]?.steps).toBe(5);
  });

  it('reports ε = 0 when nothing has been recorded', () => {
    expect(new RdpAccountant().getEpsilon(1e-5)).toEqual({ epsilon: 0, order: Infinity });
  });

  it('warns when the best order is at an end of the list', () => {
    const step = { noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 };
    expect(epsilonFor([step], 1e-5, [1.5, 2, 3]).warning).toMatch(/largest/);
    expect(epsilonFor([step], 1e-5, [20, 40, 63]).warning).toMatch(/smallest/);
    expect(epsilonFor([step], 1e-5, DEFAULT_ORDERS).warning).toBeUndefined();
  });

  it('rejects bad inputs with errors that name the field', () => {
    const ok = { noiseMultiplier: 1, sampleRate: 0.1, steps: 1 };
    const accountant = new RdpAccountant();
    expect(() => accountant.record({ ...ok, noiseMultiplier: 0 })).toThrow(
      /noiseMultiplier must be a finite number > 0/,
    );
    expect(() => accountant.record({ ...ok, noiseMultiplier: -1 })).toThrow(/noiseMultiplier/);
    expect(() => accountant.record({ ...ok, sampleRate: 0 })).toThrow(/sampleRate must be in \(0, 1\]/);
    expect(() => accountant.record({ ...ok, sampleRate: 1.5 })).toThrow(/sampleRate/);
    expect(() => accountant.record({ ...ok, steps: 2.5 })).toThrow(/steps must be a non-negative integer/);
    expect(() => accountant.getEpsilon(0)).toThrow(/delta must be in \(0, 1\)/);
    expect(() => accountant.getEpsilon(1)).toThrow(/delta/);
    expect(() => accountant.getEpsilon(1e-5, [])).toThrow(/orders must be a non-empty list/);
    expect(() => accountant.getEpsilon(1e-5, [2, 1])).toThrow(/orders\[1\] must be a number > 1/);
    expect(() => new RdpAccountant([ok, { ...ok, sampleRate: Number.NaN }])).toThrow(/history\[1\]\.sampleRate/);
    expect(accountant.history()).toEqual([]);
  });
});
