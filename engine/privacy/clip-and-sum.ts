/**
 * The reference DP-SGD aggregation, one example at a time: clip each example's gradient (all
 * parameters together, as one vector) to L2 norm C, then sum. The clipped sum has L2 sensitivity C
 * to adding or removing one record, which is what the Gaussian noise σC is calibrated to
 * (Abadi et al., "Deep Learning with Differential Privacy", CCS 2016, Algorithm 1).
 * The in-graph step computes the same thing without materializing per-example gradients; this
 * version is its test oracle and the fallback for models the graph cannot handle.
 */
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';

/** c = min(1, C/‖g‖); an all-zero gradient keeps factor 1. */
export function clipFactor(norm: number, clipNorm: number): number {
  return norm > clipNorm ? clipNorm / norm : 1;
}

/** L2 norm over every tensor of the set, accumulated in float64. */
export function globalNorm(gradients: ParameterSet): number {
  let squares = 0;
  for (const { data } of gradients.values()) for (const value of data) squares += value * value;
  return Math.sqrt(squares);
}

export interface ClippedSum {
  readonly sum: Map<string, Float32Tensor>;
  readonly norms: number[];
  readonly factors: number[];
}

export function clipAndSum(perExample: readonly ParameterSet[], clipNorm: number): ClippedSum {
  if (!(clipNorm > 0) || !Number.isFinite(clipNorm))
    throw new RangeError(`clipNorm must be finite and > 0 (got ${clipNorm})`);
  const first = perExample[0];
  if (!first) throw new RangeError('clipAndSum needs at least one example');
  const accumulators = new Map([...first].map(([name, value]) => [name, new Float64Array(value.data.length)]));
  const norms: number[] = [];
  const factors: number[] = [];
  perExample.forEach((gradients, example) => {
    const norm = globalNorm(gradients);
    const factor = clipFactor(norm, clipNorm);
    norms.push(norm);
    factors.push(factor);
    for (const [name, accumulator] of accumulators) {
      const value = gradients.get(name);
      if (!value || value.data.length !== accumulator.length) {
        throw new Error(`example ${example}: gradient "${name}" is missing or has the wrong size`);
      }
      for (let i = 0; i < accumulator.length; i += 1)
        accumulator[i] = (accumulator[i] ?? 0) + factor * (value.data[i] ?? 0);
    }
  });
  const sum = new Map(
    [...first].map(([name, value]) => [name, tensor(value.shape, Float32Array.from(accumulators.get(name) ?? []))]),
  );
  return { sum, norms, factors };
}
