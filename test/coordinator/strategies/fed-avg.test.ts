import { describe, expect, it } from 'vitest';
import { FedAvg } from '../../../coordinator/strategies/fed-avg.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
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

describe('FedAvg', () => {
  it('adds the example-weighted mean delta (worked by hand)', () => {
    // Participants with 1 and 3 examples send deltas 4 and 8: (1·4 + 3·8) / 4 = 7, so 1 + 7 = 8.
    const global = new Map([['w', tensor([1], [1])]]);
    const results = [
      { participantId: 'a', numExamples: 1, update: new Map([['w', tensor([1], [4])]]) },
      { participantId: 'b', numExamples: 3, update: new Map([['w', tensor([1], [8])]]) },
    ];
    expect([...(new FedAvg().aggregate(global, results, 1).get('w')?.data ?? [])]).toEqual([8]);
  });

  it('matches the naive formula over three rounds', () => {
    const strategy = new FedAvg();
    let global = setOf(initialGlobal);
    let reference = [...initialGlobal];
    for (let round = 1; round <= 3; round++) {
      global = strategy.aggregate(global, resultsForRound(round), round);
      const mean = naiveWeightedMean(deltasForRound(round), examples);
      reference = reference.map((w, k) => w + (mean[k] as number));
      expectClose(flat(global), reference);
    }
  });

  it('does not depend on the order of the participants', () => {
    const global = setOf(initialGlobal);
    const forward = new FedAvg().aggregate(global, resultsForRound(1), 1);
    const backward = new FedAvg().aggregate(global, resultsForRound(1).reverse(), 1);
    expect(flat(backward)).toEqual(flat(forward));
  });

  it('refuses an empty round, a non-positive example count and a mismatched update', () => {
    const global = setOf(initialGlobal);
    const strategy = new FedAvg();
    expect(() => strategy.aggregate(global, [], 1)).toThrow('no results');
    const zero = { ...resultsForRound(1)[0]!, numExamples: 0 };
    expect(() => strategy.aggregate(global, [zero], 1)).toThrow('participant "p0" reports numExamples = 0');
    const wrong = {
      participantId: 'p9',
      numExamples: 1,
      update: new Map([['trunk.weight', tensor([4], [1, 2, 3, 4])]]),
    };
    expect(() => strategy.aggregate(global, [wrong], 1)).toThrow(
      'update of participant "p9": expected 3 tensors, got 1',
    );
  });

  it('leaves its inputs untouched', () => {
    const global = setOf(initialGlobal);
    const results = resultsForRound(2);
    new FedAvg().aggregate(global, results, 2);
    expect(flat(global)).toEqual(flat(setOf(initialGlobal)));
    expect(flat(results[2]!.update)).toEqual(flat(setOf(deltasForRound(2)[2]!)));
  });
});
