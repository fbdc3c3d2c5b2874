import { describe, expect, it } from 'vitest';
import { clipAndSum, clipFactor, globalNorm } from '../../../engine/privacy/clip-and-sum.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

const example = (w: number[], b: number[]) =>
  new Map([
    ['w', tensor([2, 2], w)],
    ['b', tensor([2], b)],
  ]);

describe('clipAndSum (reference)', () => {
  it('clips each example to norm C over all its parameters and sums (worked by hand)', () => {
    // Example 1: (3, 0, 0, 0 | 4, 0) has norm 5 → scaled by 1/5 with C = 1 → (0.6, 0, 0, 0 | 0.8, 0).
    // Example 2: (0, 0.3, 0, 0 | 0, 0.4) has norm 0.5 ≤ 1 → unchanged.
    const { sum, norms, factors } = clipAndSum([example([3, 0, 0, 0], [4, 0]), example([0, 0.3, 0, 0], [0, 0.4])], 1);
    expect(norms[0]).toBeCloseTo(5, 6);
    expect(norms[1]).toBeCloseTo(0.5, 6);
    expect(factors).toEqual([0.2, 1]);
    expect([...(sum.get('w')?.data ?? [])].map((v) => +v.toFixed(6))).toEqual([0.6, 0.3, 0, 0]);
    expect([...(sum.get('b')?.data ?? [])].map((v) => +v.toFixed(6))).toEqual([0.8, 0.4]);
  });

  it('bounds the sensitivity: removing any one example changes the sum by at most C', () => {
    const examples = [example([9, -2, 1, 0], [5, 5]), example([0.1, 0, 0, 0], [0, 0]), example([-7, 7, 7, -7], [1, 2])];
    const clipNorm = 1.5;
    const full = clipAndSum(examples, clipNorm).sum;
    examples.forEach((_, left) => {
      const rest = clipAndSum(
        examples.filter((__, i) => i !== left),
        clipNorm,
      ).sum;
      const difference = new Map(
        [...full].map(([name, t]) => [
          name,
          tensor(
            t.shape,
            t.data.map((v, i) => v - (rest.get(name)?.data[i] ?? 0)),
          ),
        ]),
      );
      expect(globalNorm(difference)).toBeLessThanOrEqual(clipNorm + 1e-5);
    });
  });

  it('uses c = min(1, C/‖g‖) and names a mismatched example', () => {
    expect(clipFactor(0, 1)).toBe(1);
    expect(clipFactor(4, 2)).toBe(0.5);
    expect(() => clipAndSum([example([1, 1, 1, 1], [1, 1]), new Map([['w', tensor([2, 2])]])], 1)).toThrow(
      /example 1: gradient "b"/,
    );
    expect(() => clipAndSum([], 1)).toThrow(/at least one/);
  });
});
