/**
 * The arithmetic every strategy shares: checking a round's results and the (example-weighted) mean
 * of the participants' deltas. Accumulation is in float64 so that the order of participants does not
 * change the result beyond float32 rounding.
 */
import { assertMatchesSpec, specOf, tensor } from '../../engine/tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../../engine/tensor/parameter-set.ts';
import type { ClientResult } from './strategy.ts';

/** A participant's weight for one tensor: 0 means "did not train it". */
export type TensorWeight = (result: ClientResult, tensorName: string) => number;

export const byExamples: TensorWeight = (result) => result.numExamples;

/** Refuses an empty round, a bad example count or an update that does not match the global spec. */
export function assertValidResults(global: ParameterSet, results: readonly ClientResult[]): void {
  if (results.length === 0) throw new Error('cannot aggregate a round with no results');
  const spec = specOf(global);
  for (const result of results) {
    if (!Number.isFinite(result.numExamples) || result.numExamples <= 0) {
      throw new Error(
        `participant "${result.participantId}" reports numExamples = ${result.numExamples}; it must be a positive number`,
      );
    }
    try {
      assertMatchesSpec(result.update, spec);
    } catch (error) {
      throw new Error(`update of participant "${result.participantId}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

/**
 * Σ_i w_i Δ_i / Σ_i w_i per tensor, where w_i may differ per tensor (multi-task heads). A tensor that
 * nobody trained (all weights 0) gets a zero mean, so the global value stays as it was.
 */
export function weightedMeanDelta(
  global: ParameterSet,
  results: readonly ClientResult[],
  weightOf: TensorWeight = byExamples,
): Map<string, Float64Array> {
  const mean = new Map<string, Float64Array>();
  for (const [name, value] of global) {
    const sum = new Float64Array(value.data.length);
    let totalWeight = 0;
    for (const result of results) {
      const weight = weightOf(result, name);
      if (weight === 0) continue;
      totalWeight += weight;
      const delta = (result.update.get(name) as Float32Tensor).data;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + weight * (delta[i] as number);
    }
    if (totalWeight > 0) for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) / totalWeight;
    mean.set(name, sum);
  }
  return mean;
}

/** global + step, tensor by tensor, rounded once to float32. */
export function addToGlobal(
  global: ParameterSet,
  step: ReadonlyMap<string, ArrayLike<number>>,
): Map<string, Float32Tensor> {
  const next = new Map<string, Float32Tensor>();
  for (const [name, value] of global) {
    const delta = step.get(name);
    if (!delta) throw new Error(`no step computed for tensor "${name}"`);
    const data = new Float32Array(value.data.length);
    for (let i = 0; i < data.length; i++) data[i] = (value.data[i] as number) + (delta[i] as number);
    next.set(name, tensor(value.shape, data));
  }
  return next;
}
