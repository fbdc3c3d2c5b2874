import { describe, expect, it } from 'vitest';
import { Sgd } from '../../../engine/optim/sgd.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { expectTrajectoriesClose, runUnderTest, sgdReference } from './reference-rules.ts';

describe('SGD', () => {
  it('plain SGD follows θ ← θ − η g over six steps', () => {
    expectTrajectoriesClose(runUnderTest(new Sgd()), sgdReference({}));
  });

  it('heavy-ball momentum follows b ← μb + g, θ ← θ − η b', () => {
    expectTrajectoriesClose(runUnderTest(new Sgd({ momentum: 0.9 })), sgdReference({ mu: 0.9 }));
  });

  it('Nesterov momentum follows θ ← θ − η (g + μ b) (Sutskever et al. 2013)', () => {
    const optimizer = new Sgd({ momentum: 0.8, nesterov: true });
    expectTrajectoriesClose(runUnderTest(optimizer), sgdReference({ mu: 0.8, nesterov: true }));
  });

  it('L2 weight decay adds λθ to the gradient', () => {
    const optimizer = new Sgd({ momentum: 0.5, weightDecay: 0.1 });
    expectTrajectoriesClose(runUnderTest(optimizer), sgdReference({ mu: 0.5, lambda: 0.1 }));
  });

  it('one step by hand: θ = 1, g = 0.5, η = 0.1 → 0.95', () => {
    const parameters = new Map([['w', tensor([1], [1])]]);
    new Sgd().step(parameters, new Map([['w', Float32Array.of(0.5)]]), 0.1);
    expect(parameters.get('w')!.data[0]).toBeCloseTo(0.95, 7);
  });

  it('refuses Nesterov without momentum and momentum outside [0, 1)', () => {
    expect(() => new Sgd({ nesterov: true })).toThrow('Nesterov SGD needs a momentum above 0');
    expect(() => new Sgd({ momentum: 1 })).toThrow('momentum must be in [0, 1)');
  });
});
