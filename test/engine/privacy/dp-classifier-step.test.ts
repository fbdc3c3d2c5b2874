/**
 * The DP-SGD step of the engine's sequence classifier against a reference computed example by example: the
 * plain training step (engine/nn createClassifierStep) is run once per example with batch 1 — its loss is
 * then that example's loss — each example's gradient is clipped in TypeScript (clipAndSum), and the sum is
 * compared with the DP graph's clipped sums, along with the per-example norms and clip factors.
 * Two layers, positions sliced from a longer table (maxSequenceLength 8 > 6), T = 6. With d = 8 the d×d
 * projections take the explicit per-example path (2T² ≥ d²) and the MLP the ghost path; with d = 16 every
 * layer takes the ghost path and Q, K and V share one input Gram matrix.
 */
import { describe, expect, it } from 'vitest';
import { createClassifierStep } from '../../../engine/nn/classifier-step.ts';
import { ignoreIndex, initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import type { TransformerClassifierConfig } from '../../../engine/nn/classifier.ts';
import { clipAndSum } from '../../../engine/privacy/clip-and-sum.ts';
import { createDpClassifierStep } from '../../../engine/privacy/dp-classifier-step.ts';
import { gaussianSamples } from '../../../engine/privacy/gaussian-noise.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { seededRandomSource } from './seeded-random-source.ts';

const base: TransformerClassifierConfig = {
  vocabSize: 13,
  maxSequenceLength: 8,
  dModel: 8,
  heads: 2,
  layers: 2,
  ffDim: 40,
  numClasses: 3,
};
const [batch, seqLen] = [4, 6];
const inputIds = BigInt64Array.from({ length: batch * seqLen }, (_, i) => BigInt((i * 5 + (i % 4)) % base.vocabSize));
inputIds[2] = inputIds[0] as bigint; // a repeated token inside example 0
const attentionMask = Float32Array.from({ length: batch * seqLen }, (_, i) => (i >= seqLen && i % seqLen >= 4 ? 0 : 1));
const labels = BigInt64Array.from([2n, 0n, 1n, BigInt(ignoreIndex)]); // the last row is padding

/** Seeded parameters with enough spread that examples' gradient norms differ. */
function parameters(config: TransformerClassifierConfig) {
  const initial = initializeClassifierParameters(config, 5);
  let seed = 50;
  return new Map(
    [...initial].map(([name, t]) => {
      const noise = gaussianSamples(t.data.length, 0.3, seededRandomSource(seed++));
      return [
        name,
        tensor(
          t.shape,
          t.data.map((v, i) => v + (noise[i] as number)),
        ),
      ];
    }),
  );
}

/**
 * Largest error relative to the tensor's own scale, floored at 1e-3 of the largest gradient of the model:
 * some gradients are exactly 0 in theory (the key bias shifts every score of a query equally, which softmax
 * ignores), and for those only float32 rounding remains.
 */
function worstRelativeError(actual: Float32Array, expected: Float32Array, modelScale: number): number {
  const scale = Math.max(1e-3 * modelScale, ...Array.from(expected, Math.abs));
  return Math.max(...Array.from(actual, (v, i) => Math.abs(v - (expected[i] as number)))) / scale;
}

/** Each real example's gradient from the plain step at batch 1, where the batch's loss is that example's. */
async function plainGradients(config: TransformerClassifierConfig, params: ReturnType<typeof parameters>) {
  const plain = await createClassifierStep(config, 1, seqLen);
  const perExample = [];
  for (let i = 0; i < 3; i += 1) {
    const { gradients } = await plain.run(params, {
      inputIds: inputIds.slice(i * seqLen, (i + 1) * seqLen),
      attentionMask: attentionMask.slice(i * seqLen, (i + 1) * seqLen),
      labels: labels.slice(i, i + 1),
    });
    perExample.push(new Map([...gradients].map(([name, data]) => [name, tensor(params.get(name)?.shape ?? [], data)])));
  }
  return perExample;
}

describe.each([
  { name: 'd = 8 (explicit and ghost paths)', config: base },
  { name: 'd = 16 (ghost paths, shared Gram)', config: { ...base, dModel: 16 } },
  {
    name: 'n-gram embedding bag (two gathered tables)',
    config: { ...base, architecture: 'bag' as const, bigramBuckets: 7 },
  },
])('DP-SGD classifier step, $name', ({ config }) => {
  it('equals clipping the plain step’s gradients example by example, for every parameter', async () => {
    const params = parameters(config);
    const perExample = await plainGradients(config, params);
    const referenceNorms = clipAndSum(perExample, 1e9).norms;
    const clipNorm = Math.sqrt(Math.min(...referenceNorms) * Math.max(...referenceNorms));
    const expected = clipAndSum(perExample, clipNorm);

    const dp = await createDpClassifierStep(config, batch, seqLen, { clipNorm });
    const result = await dp.run(params, { inputIds, attentionMask, labels });
    referenceNorms.forEach((norm, i) => expect(Math.abs((result.norms[i] as number) / norm - 1)).toBeLessThan(1e-4));
    expected.factors.forEach((factor, i) => expect(result.clipFactors[i]).toBeCloseTo(factor, 5));
    expect(result.clipFactors[3]).toBe(0);
    expect(expected.factors.some((f) => f < 1) && expected.factors.some((f) => f === 1)).toBe(true);
    expect([...result.clippedSums.keys()].sort()).toEqual([...params.keys()].sort());
    const modelScale = Math.max(...[...expected.sum.values()].map((t) => Math.max(...Array.from(t.data, Math.abs))));
    for (const [name, sum] of result.clippedSums) {
      const error = worstRelativeError(sum, expected.sum.get(name)?.data as Float32Array, modelScale);
      expect(error, name).toBeLessThan(2e-4);
    }
  });

  it('gives an all-padding batch zero factors and zero sums (the step is then noise alone)', async () => {
    const dp = await createDpClassifierStep(config, batch, seqLen, { clipNorm: 1 });
    const result = await dp.run(parameters(config), {
      inputIds,
      attentionMask,
      labels: new BigInt64Array(batch).fill(BigInt(ignoreIndex)),
    });
    expect([...result.clipFactors]).toEqual([0, 0, 0, 0]);
    for (const sum of result.clippedSums.values()) expect(sum.every((v) => v === 0)).toBe(true);
  });
});

describe('DP-SGD classifier step with a frozen trunk', () => {
  it('clips by the norm of the trained parameters’ gradients and returns sums for those alone', async () => {
    const params = parameters(base);
    const trains = (name: string) => !name.startsWith('trunk.');
    const headOnly = (await plainGradients(base, params)).map(
      (gradients) => new Map([...gradients].filter(([name]) => trains(name))),
    );
    const referenceNorms = clipAndSum(headOnly, 1e9).norms;
    const clipNorm = Math.sqrt(Math.min(...referenceNorms) * Math.max(...referenceNorms));
    const expected = clipAndSum(headOnly, clipNorm);
    const result = await (
      await createDpClassifierStep(base, batch, seqLen, { clipNorm, trains })
    ).run(params, {
      inputIds,
      attentionMask,
      labels,
    });
    expect([...result.clippedSums.keys()].sort()).toEqual([...expected.sum.keys()].sort());
    expect(result.clippedSums.size).toBeLessThan(params.size);
    referenceNorms.forEach((norm, i) => expect(Math.abs((result.norms[i] as number) / norm - 1)).toBeLessThan(1e-4));
    for (const [name, sum] of result.clippedSums) {
      const reference = expected.sum.get(name)?.data as Float32Array;
      const scale = Math.max(...Array.from(reference, Math.abs));
      sum.forEach((value, i) => expect(Math.abs(value - (reference[i] as number))).toBeLessThan(2e-4 * scale));
    }
  });
});
