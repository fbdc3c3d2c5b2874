/**
 * Noise calibration against pytorch/opacus, opacus/tests/accountants_test.py:
 *  - test_get_noise_multiplier_rdp_epochs: ε = 8, δ = 1e-5, q = 0.04, 90 epochs (2250 steps) → σ ≈ 1.416 (4 places);
 *  - test_get_noise_multiplier_rdp_steps:  ε = 8, δ = 1e-5, q = 0.04, 2000 steps → σ ≈ 1.3562 (4 places);
 *  - test_get_noise_multiplier_overshoot: the returned σ never spends more than the target.
 */
import { describe, expect, it } from 'vitest';
import { epsilonFor } from '../../../engine/privacy/accountant.ts';
import { noiseMultiplierFor } from '../../../engine/privacy/calibration.ts';

describe('noiseMultiplierFor', () => {
  it('ε = 8, δ = 1e-5, q = 0.04, 2250 steps → σ ≈ 1.416', () => {
    const { noiseMultiplier } = noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2250 });
    expect(noiseMultiplier).toBeCloseTo(1.416, 4);
  });

  it('ε = 8, δ = 1e-5, q = 0.04, 2000 steps → σ ≈ 1.3562', () => {
    const { noiseMultiplier } = noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2000 });
    expect(noiseMultiplier).toBeCloseTo(1.3562, 4);
  });

  it('never overshoots the target, and a tighter tolerance lands just under it', () => {
    const cases = [
      { targetEpsilon: 1, delta: 1e-5, sampleRate: 1e-3, steps: 20_000 },
      { targetEpsilon: 3.7, delta: 1e-6, sampleRate: 0.05, steps: 400 },
      { targetEpsilon: 9.5, delta: 1e-4, sampleRate: 0.1, steps: 100 },
    ];
    for (const request of cases) {
      const { noiseMultiplier, epsilon } = noiseMultiplierFor({ ...request, epsilonTolerance: 1e-6 });
      const spent = epsilonFor(
        [{ noiseMultiplier, sampleRate: request.sampleRate, steps: request.steps }],
        request.delta,
      );
      expect(spent.epsilon).toBe(epsilon);
      expect(spent.epsilon).toBeLessThanOrEqual(request.targetEpsilon);
      expect(spent.epsilon).toBeGreaterThan(request.targetEpsilon - 1e-6);
    }
  });

  it('refuses a budget no noise can meet, and bad inputs', () => {
    expect(() => noiseMultiplierFor({ targetEpsilon: 1e-6, delta: 1e-5, sampleRate: 1, steps: 1_000_000 })).toThrow(
      /out of reach/,
    );
    expect(() => noiseMultiplierFor({ targetEpsilon: 0, delta: 1e-5, sampleRate: 0.1, steps: 10 })).toThrow(
      /targetEpsilon/,
    );
    expect(() => noiseMultiplierFor({ targetEpsilon: 1, delta: 2, sampleRate: 0.1, steps: 10 })).toThrow(/delta/);
    expect(() => noiseMultiplierFor({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.1, steps: 0 })).toThrow(/steps/);
  });
});
