import { describe, expect, it } from 'vitest';
import { GradientAccumulator } from '../../../engine/optim/accumulate.ts';

/** Mean-squared-error gradient of y = w·x over some examples: d/dw mean((w x − y)²) = mean(2 (w x − y) x). */
function meanGradient(w: number, examples: Array<[number, number]>): Float32Array {
  const sum = examples.reduce((total, [x, y]) => total + 2 * (w * x - y) * x, 0);
  return Float32Array.of(sum / examples.length);
}

describe('gradient accumulation', () => {
  it('micro-batches of 3 and 2 examples give the gradient of the whole batch of 5', () => {
    const data: Array<[number, number]> = [
      [1, 2],
      [2, 3.5],
      [-1, 0.5],
      [0.5, 1],
      [3, 7],
    ];
    const accumulator = new GradientAccumulator();
    accumulator.add(new Map([['w', meanGradient(0.7, data.slice(0, 3))]]), 3);
    accumulator.add(new Map([['w', meanGradient(0.7, data.slice(3))]]), 2);
    expect(accumulator.microBatches).toBe(2);
    const whole = meanGradient(0.7, data)[0]!;
    expect(accumulator.take().get('w')![0]).toBeCloseTo(whole, 6);
    expect(accumulator.exampleCount).toBe(0);
  });

  it('refuses micro-batches whose tensors differ', () => {
    const accumulator = new GradientAccumulator();
    accumulator.add(new Map([['w', Float32Array.of(1)]]), 1);
    expect(() => accumulator.add(new Map([['w', Float32Array.of(1, 2)]]), 1)).toThrow(
      'gradient "w" has 2 values, earlier ones had 1',
    );
    expect(() => accumulator.add(new Map([['v', Float32Array.of(1)]]), 1)).toThrow(
      'gradient "v" missing from earlier micro-batches',
    );
    expect(() => new GradientAccumulator().take()).toThrow('no micro-batch gradients to take');
  });
});
