/**
 * Small hand-made federations for the strategy tests, and float64 helpers for the naive references.
 * References work on plain number arrays over the flattened parameters (every strategy here acts
 * coordinate by coordinate), so they share no code with the strategies under test.
 */
import { expect } from 'vitest';
import { flatten, tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { ClientResult } from '../../../coordinator/strategies/strategy.ts';

/** trunk 2×2, one head per task; 8 coordinates in this order. */
export const layout: { name: string; shape: number[] }[] = [
  { name: 'trunk.weight', shape: [2, 2] },
  { name: 'heads.classify.weight', shape: [2] },
  { name: 'heads.summarize.weight', shape: [2] },
];

export function setOf(values: readonly number[]): ParameterSet {
  const set = new Map();
  let offset = 0;
  for (const { name, shape } of layout) {
    const size = shape.reduce((a, b) => a * b, 1);
    set.set(name, tensor(shape, values.slice(offset, offset + size)));
    offset += size;
  }
  return set;
}

export const initialGlobal = [0.5, -0.25, 1, 0, 0.125, -1, 2, 0.75];

/** Three participants' deltas for round r (1-based): hand-picked values with an outlier in participant c. */
export function deltasForRound(round: number): number[][] {
  const r = round;
  return [
    [0.1 * r, -0.2, 0.3, 0.05, -0.1, 0.2 / r, 0.01, -0.03 * r],
    [0.3, 0.1 * r, -0.1, 0.02, 0.4, -0.2, 0.05 * r, 0.07],
    [-2, 5, 0.2 * r, -0.3, 0.6 / r, 0.1, -0.4, 3],
  ];
}

export const examples = [10, 30, 60];

export function resultsForRound(round: number, tasks?: (string[] | undefined)[]): ClientResult[] {
  return deltasForRound(round).map((delta, i) => ({
    participantId: `p${i}`,
    numExamples: examples[i] as number,
    update: setOf(delta),
    ...(tasks?.[i] ? { tasks: tasks[i] } : {}),
  }));
}

export function flat(set: ParameterSet): number[] {
  return [...flatten(set)];
}

/** Float32 output against a float64 reference: relative 1e-5 of the larger magnitude, absolute 1e-6. */
export function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => {
    const reference = expected[i] as number;
    const tolerance = 1e-6 + 1e-5 * Math.max(Math.abs(value), Math.abs(reference));
    if (Math.abs(value - reference) > tolerance) {
      throw new Error(`coordinate ${i}: got ${value}, reference ${reference}`);
    }
  });
}

/** Σ n_i d_i / Σ n_i per coordinate, written from the FedAvg equation. */
export function naiveWeightedMean(deltas: number[][], weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return (deltas[0] as number[]).map(
    (_, k) => deltas.reduce((sum, delta, i) => sum + (weights[i] as number) * (delta[k] as number), 0) / total,
  );
}
