import { describe, expect, it } from 'vitest';
import { Graph } from '../../../engine/graph/ir.ts';
import { createGraphForward } from '../../../engine/nn/graph-step.ts';
import { ModelScope } from '../../../engine/nn/scope.ts';
import type { TaskModelConfig } from '../../../engine/nn/task-model.ts';
import { initializeTaskModel } from '../../../engine/nn/task-step.ts';
import { transformerTrunk } from '../../../engine/nn/transformer.ts';
import type { TransformerConfig } from '../../../engine/nn/transformer.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { llamaReferenceForward } from './llama-reference.ts';
import { checkTaskGradients } from './task-gradient-check.ts';

const llama: TransformerConfig = {
  architecture: 'llama',
  vocabSize: 13,
  maxSequenceLength: 16,
  dModel: 32,
  heads: 4,
  kvHeads: 2,
  layers: 2,
  ffDim: 40,
  causal: true,
  layerNormEpsilon: 1e-5,
  ropeTheta: 500,
};
const [batch, seq] = [2, 6];
const ids = [1, 4, 7, 2, 12, 3, 3, 8, 0, 5, 0, 0];
const mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];

/** Random parameters for every recorded spec: norm weights near 1, the rest in [-0.5, 0.5]. */
function randomParameters(scope: ModelScope, seed: number): Map<string, Float32Tensor> {
  const random = seededRandom(seed);
  const params = new Map<string, Float32Tensor>();
  for (const { name, shape } of scope.parameters) {
    const size = shape.reduce((n, dim) => n * dim, 1);
    const norm = name.endsWith('_norm.weight');
    const data = Float32Array.from({ length: size }, () => (norm ? 1 + (random() - 0.5) * 0.4 : random() - 0.5));
    params.set(name, { shape, data });
  }
  return params;
}

async function onnxTrunk(config: TransformerConfig, seed: number) {
  const graph = new Graph('llama_trunk');
  const scope = new ModelScope(graph);
  const inputIds = graph.input('input_ids', 'int64', [batch, seq]);
  const attentionMask = graph.input('attention_mask', 'float32', [batch, seq]);
  const hidden = transformerTrunk(scope, { inputIds, attentionMask }, config);
  const forward = await createGraphForward(scope, { hidden });
  const params = randomParameters(scope, seed);
  const out = await forward.run(params, {
    input_ids: { data: BigInt64Array.from(ids.map(BigInt)), shape: [batch, seq] },
    attention_mask: { data: Float32Array.from(mask), shape: [batch, seq] },
  });
  return { params, hidden: out.get('hidden')!.data as Float32Array, names: scope.parameters.map((p) => p.name) };
}

/**
 * float32 against float64: each value passes through 2 blocks of sums over ≤ 40 terms of O(1) products, so
 * rounding stays near 1e-6; 1e-4 absolute + 1e-4 relative leaves a wide margin, while a wrong rotation, head
 * grouping or norm is off by O(0.1).
 */
function expectClose(actual: Float32Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  expected.forEach((value, i) => (worst = Math.max(worst, Math.abs(actual[i]! - value) / (1 + Math.abs(value)))));
  expect(worst).toBeLessThan(1e-4);
}

describe('Llama-family trunk', () => {
  it('the ONNX forward equals an independent float64 reference (RMSNorm, rotary, GQA, SwiGLU)', async () => {
    const { params, hidden, names } = await onnxTrunk(llama, 11);
    expect(names.some((name) => name.endsWith('.bias'))).toBe(false);
    expectClose(hidden, llamaReferenceForward(llama, params, ids, mask, batch));
  });

  it('with Qwen2 biases on q, k and v and one key/value head, still equals the reference', async () => {
    const qwen: TransformerConfig = { ...llama, kvHeads: 1, attentionBias: true, ropeTheta: 1_000_000 };
    const { params, hidden, names } = await onnxTrunk(qwen, 12);
    expect(names.filter((name) => name.endsWith('.bias')).sort()).toEqual(
      [0, 1].flatMap((i) => ['key', 'query', 'value'].map((p) => `trunk.layers.${i}.attention.${p}.bias`)).sort(),
    );
    expectClose(hidden, llamaReferenceForward(qwen, params, ids, mask, batch));
  });

  it('the causal-LM and classification heads: gradients of every parameter match finite differences', async () => {
    const trunk: TransformerConfig = { ...llama, vocabSize: 9, dModel: 8, heads: 2, kvHeads: 1, layers: 1, ffDim: 12 };
    const small = { data: BigInt64Array.from([1, 4, 7, 2, 3, 8, 0, 0].map(BigInt)), shape: [2, 4] };
    const smallMask = { data: Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]), shape: [2, 4] };
    for (const [task, config, labels] of [
      ['lm', { trunk, heads: { lm: { kind: 'causal-lm' } } }, [-100, 5, 2, 5, -100, 6, -100, -100]],
      [
        'topic',
        { trunk: { ...trunk, attentionBias: true }, heads: { topic: { kind: 'classification', classes: 3 } } },
        [2, 1],
      ],
    ] as [string, TaskModelConfig, number[]][]) {
      const params = initializeTaskModel(config, 3);
      for (const value of params.values()) value.data.forEach((v, i) => (value.data[i] = v * 20 + (i % 3) * 0.05));
      const checked = await checkTaskGradients(config, task, { batch: 2, seq: 4 }, params, {
        input_ids: small,
        attention_mask: smallMask,
        labels: { data: BigInt64Array.from(labels.map(BigInt)), shape: [labels.length] },
      });
      expect(checked.has('trunk.layers.0.mlp.gate.weight')).toBe(true);
      expect(checked.has('trunk.final_norm.weight')).toBe(true);
    }
  });
});
