import { describe, expect, it } from 'vitest';
import { ignoreIndex, initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import type { TransformerClassifierConfig } from '../../../engine/nn/classifier.ts';
import { createDpClassifierStep } from '../../../engine/privacy/dp-classifier-step.ts';
import { createDpSgdStep, poissonClassifierBatch } from '../../../engine/privacy/dp-sgd-step.ts';
import { privatizeGradientSums } from '../../../engine/privacy/noisy-gradient.ts';
import { poissonSample } from '../../../engine/privacy/poisson-sampling.ts';
import { seededRandomSource } from './seeded-random-source.ts';

const config: TransformerClassifierConfig = {
  vocabSize: 13,
  maxSequenceLength: 5,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffDim: 16,
  numClasses: 2,
};
const examples = Array.from({ length: 20 }, (_, i) => ({
  ids: Array.from({ length: 2 + (i % 4) }, (_, t) => 1 + ((i * 3 + t) % 12)),
  label: i % 2,
}));
const shape = { sampleRate: 0.5, batchSize: 4, seqLen: 5, padId: 0 };

describe('a whole DP-SGD step', () => {
  it('Poisson-samples the dataset and pads the sample into chunks whose padding rows are ignored', () => {
    const batch = poissonClassifierBatch(examples, shape, seededRandomSource(8));
    const sampled = poissonSample(examples.length, shape.sampleRate, seededRandomSource(8));
    expect(batch.sampled).toBe(sampled.length);
    expect(batch.chunks).toHaveLength(Math.max(1, Math.ceil(sampled.length / shape.batchSize)));
    const labels = batch.chunks.flatMap((chunk) => [...chunk.labels].map(Number));
    expect(labels.filter((l) => l !== ignoreIndex)).toEqual([...sampled].map((i) => examples[i]?.label));
    expect(labels.slice(sampled.length).every((l) => l === ignoreIndex)).toBe(true);
    const firstRow = batch.chunks[0]?.inputIds.slice(0, shape.seqLen);
    const first = examples[sampled[0] as number]?.ids ?? [];
    expect([...(firstRow ?? [])].map(Number).slice(0, first.length)).toEqual(first);
  });

  it('sums the clipped sums of every chunk, then adds noise and divides by q·n once', async () => {
    const params = initializeClassifierParameters(config, 3);
    const batch = poissonClassifierBatch(examples, shape, seededRandomSource(8));
    expect(batch.chunks.length).toBeGreaterThan(1);
    const options = { batchSize: 4, seqLen: 5, clipNorm: 0.5, noiseMultiplier: 1.2, sampleRate: 0.5, datasetSize: 20 };
    const step = await createDpSgdStep(config, options, seededRandomSource(99));
    const { gradients, record } = await step.run(params, batch);
    expect(record).toEqual({ noiseMultiplier: 1.2, sampleRate: 0.5, steps: 1 });

    // Reference: chunk by chunk with the plain DP classifier step, summed in float64, then the same noise.
    const chunkStep = await createDpClassifierStep(config, 4, 5, { clipNorm: 0.5 });
    const totals = new Map<string, Float64Array>();
    for (const chunk of batch.chunks) {
      for (const [name, sum] of (await chunkStep.run(params, chunk)).clippedSums) {
        const total = totals.get(name) ?? new Float64Array(sum.length);
        sum.forEach((v, i) => (total[i] = (total[i] as number) + v));
        totals.set(name, total);
      }
    }
    const expected = new Map([...totals].map(([name, t]) => [name, Float32Array.from(t)]));
    privatizeGradientSums(
      expected,
      { noiseMultiplier: 1.2, clipNorm: 0.5, expectedBatchSize: 10 },
      seededRandomSource(99),
    );
    for (const [name, values] of gradients) {
      const reference = expected.get(name) as Float32Array;
      values.forEach((v, i) => expect(Math.abs(v - (reference[i] as number)), name).toBeLessThan(1e-5));
    }
  });

  it('an empty sample is still a step: one all-padding chunk that adds exactly nothing, so the gradient is noise alone', async () => {
    const params = initializeClassifierParameters(config, 3);
    const rare = { ...shape, sampleRate: 1e-9 };
    const batch = poissonClassifierBatch(examples, rare, seededRandomSource(8));
    expect(batch.sampled).toBe(0);
    expect(batch.chunks).toHaveLength(1);
    expect([...batch.chunks[0]!.labels].every((label) => Number(label) === ignoreIndex)).toBe(true);
    const options = { batchSize: 4, seqLen: 5, clipNorm: 0.5, noiseMultiplier: 1.2, sampleRate: 1e-9, datasetSize: 20 };
    const { gradients } = await (await createDpSgdStep(config, options, seededRandomSource(5))).run(params, batch);
    const noiseAlone = new Map([...params].map(([name, value]) => [name, new Float32Array(value.data.length)]));
    privatizeGradientSums(
      noiseAlone,
      { noiseMultiplier: 1.2, clipNorm: 0.5, expectedBatchSize: 20 * 1e-9 },
      seededRandomSource(5),
    );
    expect(gradients).toEqual(noiseAlone);
  });
});
