import { describe, it } from 'vitest';
import { FedAvgM } from '../../../coordinator/strategies/fed-avg-m.ts';
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

describe('FedAvgM (Hsu et al. 2019)', () => {
  it('follows v ← βv + Δ, w ← w + ηv over four rounds', () => {
    const eta = 0.7;
    const beta = 0.9;
    const strategy = new FedAvgM({ serverLearningRate: eta, serverMomentum: beta });
    let global = setOf(initialGlobal);
    let w = [...initialGlobal];
    let v = w.map(() => 0);
    for (let round = 1; round <= 4; round++) {
      global = strategy.aggregate(global, resultsForRound(round), round);
      const delta = naiveWeightedMean(deltasForRound(round), examples);
      v = v.map((vk, k) => beta * vk + (delta[k] as number));
      w = w.map((wk, k) => wk + eta * (v[k] as number));
      expectClose(flat(global), w);
    }
  });
});
