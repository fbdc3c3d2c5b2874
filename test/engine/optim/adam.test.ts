import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from '../../../engine/optim/adam.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { adamFamilyReference, expectTrajectoriesClose, runUnderTest } from './reference-rules.ts';

describe('Adam and AdamW', () => {
  it('Adam follows Kingma & Ba 2015, Algorithm 1, over six steps', () => {
    const reference = adamFamilyReference({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expectTrajectoriesClose(runUnderTest(new Adam()), reference);
  });

  it('Adam with L2 weight decay adds λθ to the gradient before the moments', () => {
    const optimizer = new Adam({ beta1: 0.8, beta2: 0.99, weightDecay: 0.05 });
    const reference = adamFamilyReference({ beta1: 0.8, beta2: 0.99, epsilon: 1e-8, l2: 0.05 });
    expectTrajectoriesClose(runUnderTest(optimizer), reference);
  });

  it('AdamW decouples weight decay: θ ← θ − ηλθ − η m̂/(√v̂ + ε) (Loshchilov & Hutter 2019)', () => {
    const reference = adamFamilyReference({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decoupled: 0.1 });
    expectTrajectoriesClose(runUnderTest(new AdamW({ weightDecay: 0.1 })), reference);
  });

  it("Adam's first step moves each parameter by about η·sign(g) (Kingma & Ba §2.1)", () => {
    const parameters = new Map([['w', tensor([3], [0, 0, 0])]]);
    new Adam().step(parameters, new Map([['w', Float32Array.of(3, -0.02, 1e-3)]]), 0.01);
    expect([...parameters.get('w')!.data].map((x) => Number(x.toFixed(6)))).toEqual([-0.01, 0.01, -0.01]);
  });

  it('leaves a frozen parameter (no gradient) alone and refuses a gradient for an unknown one', () => {
    const parameters = new Map([
      ['a', tensor([1], [1])],
      ['b', tensor([1], [2])],
    ]);
    new Adam().step(parameters, new Map([['a', Float32Array.of(1)]]), 0.1);
    expect(parameters.get('b')!.data[0]).toBe(2);
    expect(() => new Adam().step(parameters, new Map([['c', Float32Array.of(1)]]), 0.1)).toThrow(
      'gradient for unknown parameter "c"',
    );
    expect(() => new Adam().step(parameters, new Map([['a', Float32Array.of(1, 2)]]), 0.1)).toThrow(
      'gradient for "a" has 2 values, the parameter has 1',
    );
  });
});
