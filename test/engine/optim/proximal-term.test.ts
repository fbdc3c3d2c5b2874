import { describe, expect, it } from 'vitest';
import { addProximalGradient, addProximalGradients, proximalTerm } from '../../../engine/optim/proximal-term.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

describe('FedProx proximal term (Li et al. 2020)', () => {
  it('adds mu·(w − w_global) to the gradient (worked by hand)', () => {
    // mu = 0.5: g + 0.5·(w − wg) = [1 + 0.5·(3 − 1), −1 + 0.5·(0 − 2)] = [2, −2].
    const gradient = Float32Array.from([1, -1]);
    addProximalGradient(gradient, Float32Array.from([3, 0]), Float32Array.from([1, 2]), 0.5);
    expect([...gradient]).toEqual([2, -2]);
  });

  it('is the gradient of (mu/2)·‖w − w_global‖² (central finite differences)', () => {
    const mu = 0.3;
    const weights = Float32Array.from([0.75, -1.5, 2.25, 0.125]);
    const globalWeights = Float32Array.from([0.5, 1, -2, 0.125]);
    const gradient = new Float32Array(4);
    addProximalGradient(gradient, weights, globalWeights, mu);
    const h = 1e-2; // the term is quadratic, so central differences are exact up to rounding
    weights.forEach((_, i) => {
      const plus = Float32Array.from(weights);
      const minus = Float32Array.from(weights);
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      const numeric = (proximalTerm(plus, globalWeights, mu) - proximalTerm(minus, globalWeights, mu)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 4);
    });
  });

  it('refuses vectors of different lengths', () => {
    expect(() => addProximalGradient(new Float32Array(2), new Float32Array(3), new Float32Array(2), 1)).toThrow(
      'gradient 2, weights 3, global 2',
    );
  });

  it('applies to named tensors and names a gradient without weights', () => {
    const gradients = new Map([['w', Float32Array.from([0, 0])]]);
    addProximalGradients(gradients, new Map([['w', tensor([2], [1, 2])]]), new Map([['w', tensor([2], [0, 0])]]), 2);
    expect([...gradients.get('w')!]).toEqual([2, 4]);
    expect(() => addProximalGradients(gradients, new Map(), new Map(), 1)).toThrow(
      'no weights for gradient tensor "w"',
    );
  });
});
