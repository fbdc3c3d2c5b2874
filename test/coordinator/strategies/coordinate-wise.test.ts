import { describe, expect, it } from 'vitest';
import { CoordinateWiseMedian, TrimmedMean } from '../../../coordinator/strategies/coordinate-wise.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ClientResult } from '../../../coordinator/strategies/strategy.ts';
import { expectClose, flat, initialGlobal, setOf } from './fixtures.ts';

/** Five participants, the last two attackers sending huge values in some coordinates. */
const deltas = [
  [0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.01, -0.03],
  [0.3, 0.1, -0.1, 0.02, 0.4, -0.2, 0.05, 0.07],
  [0.2, 0.0, 0.1, 0.04, 0.1, 0.1, 0.03, 0.02],
  [100, -100, 0.2, 50, -0.3, 0.15, 0.02, 9],
  [-100, 100, 0.05, 50, 0.2, -70, 0.04, 9],
];

function results(count: number): ClientResult[] {
  return deltas
    .slice(0, count)
    .map((delta, i) => ({ participantId: `p${i}`, numExamples: 1 + 100 * i, update: setOf(delta) }));
}

function naiveColumn(count: number, k: number): number[] {
  return deltas
    .slice(0, count)
    .map((delta) => delta[k] as number)
    .sort((a, b) => a - b);
}

function naiveMedian(count: number): number[] {
  return initialGlobal.map((w, k) => {
    const sorted = naiveColumn(count, k);
    const middle = sorted.length / 2;
    const value = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return w + value;
  });
}

function naiveTrimmedMean(count: number, beta: number): number[] {
  return initialGlobal.map((w, k) => {
    const cut = Math.floor(beta * count);
    const kept = naiveColumn(count, k).slice(cut, count - cut);
    return w + kept.reduce((a, b) => a + b, 0) / kept.length;
  });
}

describe('coordinate-wise median (Yin et al. 2018)', () => {
  it('worked by hand: the median of [1, 100, 2, 3, −50] is 2', () => {
    const one = (value: number, i: number) => ({
      participantId: `p${i}`,
      numExamples: 1,
      update: new Map([['w', tensor([1], [value])]]),
    });
    const out = new CoordinateWiseMedian().aggregate(
      new Map([['w', tensor([1], [0])]]),
      [1, 100, 2, 3, -50].map(one),
      1,
    );
    expect([...out.get('w')!.data]).toEqual([2]);
  });

  it('matches the naive median for odd and even participant counts, ignoring example counts', () => {
    for (const count of [5, 4, 1]) {
      expectClose(
        flat(new CoordinateWiseMedian().aggregate(setOf(initialGlobal), results(count), 1)),
        naiveMedian(count),
      );
    }
  });

  it('needs individual updates (refused with secure aggregation)', () => {
    expect(new CoordinateWiseMedian().needsIndividualUpdates).toBe(true);
  });
});

describe('coordinate-wise trimmed mean (Yin et al. 2018)', () => {
  it('worked by hand: β = 0.2 of [1, 100, 2, 3, −50] drops −50 and 100 and averages 1, 2, 3 to 2', () => {
    const one = (value: number, i: number) => ({
      participantId: `p${i}`,
      numExamples: 1,
      update: new Map([['w', tensor([1], [value])]]),
    });
    const out = new TrimmedMean({ beta: 0.2 }).aggregate(
      new Map([['w', tensor([1], [0])]]),
      [1, 100, 2, 3, -50].map(one),
      1,
    );
    expect([...out.get('w')!.data]).toEqual([2]);
  });

  it('matches the naive trimmed mean for several β and counts', () => {
    for (const [count, beta] of [
      [5, 0.2],
      [5, 0.4],
      [5, 0],
      [4, 0.25],
      [3, 0.1],
    ] as const) {
      expectClose(
        flat(new TrimmedMean({ beta }).aggregate(setOf(initialGlobal), results(count), 1)),
        naiveTrimmedMean(count, beta),
      );
    }
  });

  it('refuses β outside [0, 0.5) and needs individual updates', () => {
    expect(() => new TrimmedMean({ beta: 0.5 })).toThrow('0 ≤ beta < 0.5, got 0.5');
    expect(new TrimmedMean({ beta: 0.1 }).needsIndividualUpdates).toBe(true);
  });
});
