import { describe, it } from 'vitest';
import { FedOpt } from '../../../coordinator/strategies/fed-opt.ts';
import {
  deltasForRound,
  examples,
  expectClose,
  flat,
  initialGlobal,
  naiveWeightedMean,
  resultsForRound,
  setOf,
} from './fixtures.ts';

type Variant = 'fedadagrad' | 'fedadam' | 'fedyogi';

/** Reddi et al. 2021, Algorithm 2, line by line in float64. */
function naiveFedOpt(variant: Variant, rounds: number, eta: number, beta1: number, beta2: number, tau: number) {
  let x = [...initialGlobal];
  let m = x.map(() => 0);
  let v = x.map(() => tau * tau); // v_{−1} ≥ τ²
  const trajectory: number[][] = [];
  for (let t = 1; t <= rounds; t++) {
    const delta = naiveWeightedMean(deltasForRound(t), examples);
    m = m.map((mk, k) => beta1 * mk + (1 - beta1) * (delta[k] as number));
    v = v.map((vk, k) => {
      const d2 = (delta[k] as number) ** 2;
      if (variant === 'fedadagrad') return vk + d2;
      if (variant === 'fedadam') return beta2 * vk + (1 - beta2) * d2;
      return vk - (1 - beta2) * d2 * Math.sign(vk - d2);
    });
    x = x.map((xk, k) => xk + (eta * (m[k] as number)) / (Math.sqrt(v[k] as number) + tau));
    trajectory.push(x);
  }
  return trajectory;
}

describe('adaptive federated optimization (Reddi et al. 2021)', () => {
  const settings: [Variant, number, number, number, number][] = [
    ['fedadagrad', 0.1, 0, 0.99, 1e-3],
    ['fedadagrad', 0.05, 0.9, 0.99, 1e-2],
    ['fedadam', 0.1, 0.9, 0.99, 1e-3],
    ['fedadam', 0.03, 0.5, 0.9, 0.1],
    ['fedyogi', 0.01, 0.9, 0.99, 1e-3],
    ['fedyogi', 0.2, 0.8, 0.5, 1e-2],
  ];
  for (const [variant, eta, beta1, beta2, tau] of settings) {
    it(`${variant} (η=${eta}, β1=${beta1}, β2=${beta2}, τ=${tau}) matches Algorithm 2 over five rounds`, () => {
      const strategy = new FedOpt(variant, { eta, beta1, beta2, tau });
      const expected = naiveFedOpt(variant, 5, eta, beta1, beta2, tau);
      let global = setOf(initialGlobal);
      for (let round = 1; round <= 5; round++) {
        global = strategy.aggregate(global, resultsForRound(round), round);
        expectClose(flat(global), expected[round - 1] as number[]);
      }
    });
  }
});
