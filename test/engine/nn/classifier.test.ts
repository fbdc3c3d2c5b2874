import { describe, expect, it } from 'vitest';
import { createClassifierEval, createClassifierStep } from '../../../engine/nn/classifier-step.ts';
import { classifierParameterSpecs, initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import type { TransformerClassifierConfig } from '../../../engine/nn/classifier.ts';

const config: TransformerClassifierConfig = {
  vocabSize: 13,
  maxSequenceLength: 4,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffDim: 16,
  numClasses: 2,
};

describe('classifier parameters', () => {
  it('have the stable names checkpoints and federation exchange, with [in, out] weights', () => {
    const linear = (name: string, inF: number, outF: number) => [
      { name: `${name}.weight`, shape: [inF, outF] },
      { name: `${name}.bias`, shape: [outF] },
    ];
    const norm = (name: string) => [
      { name: `${name}.weight`, shape: [8] },
      { name: `${name}.bias`, shape: [8] },
    ];
    const layer = 'trunk.layers.0';
    expect(classifierParameterSpecs(config)).toEqual([
      { name: 'trunk.token_embedding.weight', shape: [13, 8] },
      { name: 'trunk.position_embedding.weight', shape: [4, 8] },
      ...norm(`${layer}.attention_norm`),
      ...linear(`${layer}.attention.query`, 8, 8),
      ...linear(`${layer}.attention.key`, 8, 8),
      ...linear(`${layer}.attention.value`, 8, 8),
      ...linear(`${layer}.attention.output`, 8, 8),
      ...norm(`${layer}.mlp_norm`),
      ...linear(`${layer}.mlp.up`, 8, 16),
      ...linear(`${layer}.mlp.down`, 16, 8),
      ...norm('trunk.final_norm'),
      ...linear('head', 8, 2),
    ]);
  });

  it('initialize LayerNorm scales to 1, biases to 0, weights with standard deviation 0.02', () => {
    const params = initializeClassifierParameters({ ...config, vocabSize: 4000 }, 3);
    expect([...(params.get('trunk.final_norm.weight')?.data ?? [])]).toEqual(new Array(8).fill(1));
    expect([...(params.get('head.bias')?.data ?? [])]).toEqual([0, 0]);
    const table = params.get('trunk.token_embedding.weight')?.data as Float32Array;
    const mean = table.reduce((s, v) => s + v, 0) / table.length;
    const std = Math.sqrt(table.reduce((s, v) => s + (v - mean) ** 2, 0) / table.length);
    // 32 000 draws: the sample standard deviation is within 1 % of 0.02 with overwhelming probability.
    expect(Math.abs(std - 0.02)).toBeLessThan(0.0002);
    expect(Math.abs(mean)).toBeLessThan(0.0005);
  });

  it('refuses a width that the heads do not divide, naming both', () => {
    expect(() => classifierParameterSpecs({ ...config, heads: 3 })).toThrow('dModel 8 is not divisible by heads 3');
  });
});

describe('attention masks', () => {
  const params = initializeClassifierParameters(config, 9);
  const mask = Float32Array.from([1, 1, 0, 0]);

  it('padding: tokens under a 0 mask do not change the logits (mean pooling)', async () => {
    const evaluation = await createClassifierEval(config, 1, 4);
    const a = await evaluation.run(params, { inputIds: BigInt64Array.from([3n, 5n, 7n, 8n]), attentionMask: mask });
    const b = await evaluation.run(params, { inputIds: BigInt64Array.from([3n, 5n, 1n, 12n]), attentionMask: mask });
    expect([...b]).toEqual([...a]);
  });

  it('causal: later tokens do not change the first token (first-token pooling); bidirectional they do', async () => {
    const ones = new Float32Array(4).fill(1);
    const logitsFor = async (causal: boolean, ids: bigint[]) => {
      const evaluation = await createClassifierEval({ ...config, causal, pooling: 'first' }, 1, 4);
      return [...(await evaluation.run(params, { inputIds: BigInt64Array.from(ids), attentionMask: ones }))];
    };
    expect(await logitsFor(true, [3n, 5n, 7n, 8n])).toEqual(await logitsFor(true, [3n, 9n, 1n, 2n]));
    expect(await logitsFor(false, [3n, 5n, 7n, 8n])).not.toEqual(await logitsFor(false, [3n, 9n, 1n, 2n]));
  });
});

describe('dropout', () => {
  it('is reproducible for a dropout seed and changes with it', async () => {
    const withDropout = { ...config, dropout: 0.3 };
    const params = initializeClassifierParameters(withDropout, 9);
    const step = await createClassifierStep(withDropout, 2, 4);
    const batch = {
      inputIds: BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]),
      attentionMask: new Float32Array(8).fill(1),
      labels: BigInt64Array.from([0n, 1n]),
    };
    const [a, b, c] = await Promise.all([1, 1, 2].map((seed) => step.run(params, batch, seed)));
    expect(b?.loss).toBe(a?.loss);
    expect(b?.gradients).toEqual(a?.gradients);
    expect(c?.loss).not.toBe(a?.loss);
  });
});

describe('layer sites', () => {
  it('record every parameterized layer with its input and output, covering every parameter once', async () => {
    const { buildClassifierGraph } = await import('../../../engine/nn/classifier.ts');
    const { scope } = buildClassifierGraph(config, 2, 4);
    const covered = scope.layers.flatMap((site) => site.parameters);
    const positions = 'trunk.position_embedding.weight';
    expect(new Set([...covered, positions])).toEqual(new Set(classifierParameterSpecs(config).map((s) => s.name)));
    const query = scope.layers.find((site) => site.name === 'trunk.layers.0.attention.query');
    expect(query?.input.shape).toEqual([8, 8]);
    expect(query?.output.shape).toEqual([8, 8]);
  });
});
