import { describe, expect, it } from 'vitest';
import { createOptimizer, optimizerAlgorithms } from '../../../engine/optim/create-optimizer.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

function problem() {
  return new Map([
    ['w', tensor([4], [0.3, -0.7, 1.1, 0.05])],
    ['b', tensor([2], [0.2, -0.1])],
  ]);
}

function gradientsAt(k: number) {
  return new Map([
    ['w', Float32Array.from([1, -2, 0.5, 3], (x) => x * Math.cos(k))],
    ['b', Float32Array.from([0.1, -0.4], (x) => x * (k + 1))],
  ]);
}

describe('optimizer state', () => {
  it.each(optimizerAlgorithms)('%s resumed from exported state matches an uninterrupted run bit for bit', (name) => {
    const straight = problem();
    const uninterrupted = createOptimizer({ algorithm: name });
    for (let k = 0; k < 6; k++) uninterrupted.step(straight, gradientsAt(k), 0.01);

    const resumed = problem();
    const first = createOptimizer({ algorithm: name });
    for (let k = 0; k < 3; k++) first.step(resumed, gradientsAt(k), 0.01);
    const second = createOptimizer({ algorithm: name });
    second.importState(first.exportState());
    expect(second.stepCount).toBe(3);
    for (let k = 3; k < 6; k++) second.step(resumed, gradientsAt(k), 0.01);

    expect(resumed).toEqual(straight);
  });

  it('exported state is a copy: later steps do not change it', () => {
    const optimizer = createOptimizer({ algorithm: 'adam' });
    const parameters = problem();
    optimizer.step(parameters, gradientsAt(0), 0.01);
    const state = optimizer.exportState();
    const before = [...state.slots.get('m/w')!];
    optimizer.step(parameters, gradientsAt(1), 0.01);
    expect([...state.slots.get('m/w')!]).toEqual(before);
  });

  it('refuses state from another algorithm or with a missing slot, naming it', () => {
    const adam = createOptimizer({ algorithm: 'adam' });
    adam.step(problem(), gradientsAt(0), 0.01);
    const state = adam.exportState();
    expect(() => createOptimizer({ algorithm: 'rmsprop' }).importState(state)).toThrow(
      'optimizer state is for adam, this optimizer is rmsprop',
    );
    const slots = new Map(state.slots);
    slots.delete('v/b');
    expect(() => createOptimizer({ algorithm: 'adam' }).importState({ ...state, slots })).toThrow(
      'adam state for "b" lacks slot "v"',
    );
  });

  it('refuses an unknown algorithm name', () => {
    expect(() => createOptimizer({ algorithm: 'lamb' as never })).toThrow('unknown optimizer "lamb"');
  });
});
