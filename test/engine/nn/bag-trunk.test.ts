import { describe, expect, it } from 'vitest';
import type { TaskModelConfig } from '../../../engine/nn/task-model.ts';
import { createTaskForward, initializeTaskModel } from '../../../engine/nn/task-step.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';
import { checkTaskGradients } from './task-gradient-check.ts';

const buckets = 7;
const config: TaskModelConfig = {
  trunk: {
    vocabSize: 9,
    maxSequenceLength: 4,
    dModel: 3,
    heads: 1,
    layers: 1,
    ffDim: 1,
    architecture: 'bag',
    bigramBuckets: buckets,
  },
  heads: { sentiment: { kind: 'classification', classes: 2 } },
};
const [batch, seq] = [2, 4];
const tokens = [1, 4, 7, 2, 3, 8, 0, 0];
const real = [1, 1, 1, 1, 1, 1, 0, 0];
const ids = { data: BigInt64Array.from(tokens.map(BigInt)), shape: [batch, seq] };
const mask = { data: Float32Array.from(real), shape: [batch, seq] };

/** Larger-than-init values so every gradient is well above finite-difference noise. */
function scaled(params: Map<string, Float32Tensor>): Map<string, Float32Tensor> {
  for (const value of params.values()) value.data.forEach((v, i) => (value.data[i] = v * 20 + (i % 3) * 0.05));
  return params;
}

/** Float64 reference, written from the definition: the mean of unigram and bigram vectors, then the head. */
function referenceLogits(params: Map<string, Float32Tensor>): number[] {
  const row = (name: string, r: number) => Array.from(params.get(name)!.data.slice(r * 3, r * 3 + 3));
  const [weight, bias] = [params.get('heads.sentiment.weight')!.data, params.get('heads.sentiment.bias')!.data];
  const logits: number[] = [];
  for (let b = 0; b < batch; b += 1) {
    const sum = [0, 0, 0];
    let count = 0;
    for (let t = 0; t < seq; t += 1) {
      if (!real[b * seq + t]) continue;
      count += 1;
      const vectors = [row('trunk.token_embedding.weight', tokens[b * seq + t]!)];
      if (t + 1 < seq && real[b * seq + t + 1]) {
        const bucket = (tokens[b * seq + t]! * 1000003 + tokens[b * seq + t + 1]!) % buckets;
        vectors.push(row('trunk.bigram_embedding.weight', bucket));
      }
      for (const vector of vectors) vector.forEach((v, k) => (sum[k] = sum[k]! + v));
    }
    const pooled = sum.map((v) => v / count);
    for (let c = 0; c < 2; c += 1) logits.push(pooled.reduce((acc, v, k) => acc + v * weight[k * 2 + c]!, bias[c]!));
  }
  return logits;
}

describe('n-gram embedding bag', () => {
  it('forward pass equals a float64 reference of unigram and hashed-bigram means', async () => {
    const params = scaled(initializeTaskModel(config, 5));
    expect([...params.keys()].sort()).toEqual([
      'heads.sentiment.bias',
      'heads.sentiment.weight',
      'trunk.bigram_embedding.weight',
      'trunk.token_embedding.weight',
    ]);
    const forward = await createTaskForward(config, 'sentiment', batch, seq);
    const logits = (await forward.run(params, { input_ids: ids, attention_mask: mask })).get('logits')!.data;
    const expected = referenceLogits(params);
    expect(logits.length).toBe(expected.length);
    expected.forEach((value, i) => expect(logits[i] as number).toBeCloseTo(value, 4));
  });

  it('gradients of every parameter match finite differences', async () => {
    const params = scaled(initializeTaskModel(config, 8));
    const checked = await checkTaskGradients(config, 'sentiment', { batch, seq }, params, {
      input_ids: ids,
      attention_mask: mask,
      labels: { data: BigInt64Array.from([1n, 0n]), shape: [batch] },
    });
    expect([...checked].sort()).toContain('trunk.bigram_embedding.weight');
    expect(checked.size).toBe(4);
  });
});
