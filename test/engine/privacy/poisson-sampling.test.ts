import { describe, expect, it } from 'vitest';
import { expectedBatchSize, poissonSample, toMaskedChunks } from '../../../engine/privacy/poisson-sampling.ts';
import { seededRandomSource } from './seeded-random-source.ts';

/** Binomial(n, p) pmf by the recurrence P(k+1) = P(k)·(n−k)/(k+1)·p/(1−p), from P(0) = (1−p)^n. */
function binomialPmf(n: number, p: number): number[] {
  const pmf = [Math.pow(1 - p, n)];
  for (let k = 0; k < n; k += 1) pmf.push(((pmf[k] ?? 0) * (n - k) * p) / ((k + 1) * (1 - p)));
  return pmf;
}

describe('Poisson sampling', () => {
  const n = 1000;
  const q = 0.03;
  const trials = 4000;

  it('gives batch sizes distributed as Binomial(n, q): Kolmogorov distance below the 1 % critical value', () => {
    const source = seededRandomSource(2024);
    const counts = new Array<number>(n + 1).fill(0);
    const inclusions = new Array<number>(n).fill(0);
    for (let t = 0; t < trials; t += 1) {
      const batch = poissonSample(n, q, source);
      counts[batch.length] = (counts[batch.length] ?? 0) + 1;
      for (const index of batch) inclusions[index] = (inclusions[index] ?? 0) + 1;
    }
    const pmf = binomialPmf(n, q);
    let empirical = 0;
    let theoretical = 0;
    let distance = 0;
    for (let k = 0; k <= n; k += 1) {
      empirical += (counts[k] ?? 0) / trials;
      theoretical += pmf[k] ?? 0;
      distance = Math.max(distance, Math.abs(empirical - theoretical));
    }
    // Kolmogorov–Smirnov 1 % critical value 1.628/√T (conservative for a discrete distribution).
    expect(distance).toBeLessThan(1.628 / Math.sqrt(trials));
    // Every record is included at rate q: check the first, middle and last (5 standard errors).
    for (const index of [0, n / 2, n - 1]) {
      expect(Math.abs((inclusions[index] ?? 0) / trials - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / trials));
    }
  });

  it('returns sorted distinct indices inside the dataset; q = 1 takes everyone', () => {
    const batch = poissonSample(500, 0.2, seededRandomSource(5));
    batch.slice(1).forEach((index, i) => expect(index).toBeGreaterThan(batch[i] ?? Infinity));
    expect(Math.max(...batch)).toBeLessThan(500);
    expect([...poissonSample(7, 1, seededRandomSource(1))]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('pads a variable-size batch into fixed chunks with a mask, keeping every sampled record once', () => {
    const sampled = Int32Array.of(3, 8, 9, 15, 21);
    const chunks = toMaskedChunks(sampled, 2);
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => [...c.mask])).toEqual([
      [1, 1],
      [1, 1],
      [1, 0],
    ]);
    const real = chunks.flatMap((c) => [...c.indices].filter((_, row) => c.mask[row] === 1));
    expect(real).toEqual([...sampled]);
  });

  it('turns an empty batch into one all-padding chunk (the step still happens: noise only)', () => {
    const [only, ...rest] = toMaskedChunks(new Int32Array(0), 4);
    expect(rest).toEqual([]);
    expect([...(only?.mask ?? [])]).toEqual([0, 0, 0, 0]);
  });

  it('normalizes by the expected batch size q·n and rejects bad parameters', () => {
    expect(expectedBatchSize(1000, 0.03)).toBeCloseTo(30, 12);
    expect(() => poissonSample(10, 0)).toThrow(/sampleRate/);
    expect(() => poissonSample(-1, 0.5)).toThrow(/datasetSize/);
    expect(() => toMaskedChunks(new Int32Array(1), 0)).toThrow(/physicalBatchSize/);
  });
});
