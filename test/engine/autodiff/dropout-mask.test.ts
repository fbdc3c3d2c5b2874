import { describe, expect, it } from 'vitest';
import { dropoutMask } from '../../../engine/autodiff/dropout-mask.ts';

describe('dropoutMask', () => {
  it('is identical for a seed, differs across seeds, and keeps about 1 − rate scaled by 1/(1 − rate)', () => {
    const a = dropoutMask(42, 100_000, 0.1);
    expect(dropoutMask(42, 100_000, 0.1)).toEqual(a);
    expect(dropoutMask(43, 100_000, 0.1)).not.toEqual(a);
    const kept = a.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.9)]));
    // Binomial(100000, 0.9): σ ≈ 95, so ±600 is over 6σ.
    expect(Math.abs(kept.length - 90_000)).toBeLessThan(600);
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => dropoutMask(1, 10, 1)).toThrow('dropout rate must be in [0, 1), got 1');
  });
});
