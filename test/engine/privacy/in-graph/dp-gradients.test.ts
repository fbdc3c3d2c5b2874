/**
 * The in-graph DP-SGD gradient against a reference computed example by example: the plain (non-private)
 * training step is run once per example with batch 1, each example's gradient is clipped in TypeScript
 * (clipAndSum), and the clipped sum is compared with the DP graph's, along with the per-example norms.
 * The model uses 3-D activations and MatMul layers (matmul-transformer.ts); T = 6 makes the attention output
 * projection take the explicit per-example path and the fused QKV projection the ghost-norm path.
 */
import { describe, expect, it } from 'vitest';
import { buildBackward } from '../../../../engine/autodiff/backward.ts';
import { scatterAddRows } from '../../../../engine/autodiff/scatter-add-rows.ts';
import type { Graph, Value } from '../../../../engine/graph/ir.ts';
import * as op from '../../../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../../engine/runtime/session.ts';
import type { HostTensor } from '../../../../engine/runtime/session.ts';
import { clipAndSum } from '../../../../engine/privacy/clip-and-sum.ts';
import { gaussianSamples } from '../../../../engine/privacy/gaussian-noise.ts';
import { buildDpGradients } from '../../../../engine/privacy/in-graph/dp-gradients.ts';
import { parameterUse } from '../../../../engine/privacy/in-graph/parameter-uses.ts';
import { tensor } from '../../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor } from '../../../../engine/tensor/parameter-set.ts';
import { buildClassifier } from './matmul-transformer.ts';
import type { ClassifierConfig } from './matmul-transformer.ts';
import { seededRandomSource } from '../seeded-random-source.ts';

const config: ClassifierConfig = { batch: 4, seqLen: 6, dModel: 8, heads: 2, ff: 16, vocab: 11, classes: 3, layers: 1 };
const { batch, seqLen, vocab, dModel } = config;

const ids = BigInt64Array.from({ length: batch * seqLen }, (_, i) => BigInt((i * 7 + (i % 3)) % vocab));
ids[1] = ids[0] as bigint; // a repeated token inside example 0
const tokenMask = Float32Array.from({ length: batch * seqLen }, (_, i) =>
  i % seqLen < (i < seqLen * 2 ? 6 : 4) ? 1 : 0,
);
const labels = BigInt64Array.from([0n, 2n, 1n, 1n]);
const exampleMask = Float32Array.of(1, 1, 1, 0); // example 3 is padding

function parameterValues(parameters: readonly Value[]): Map<string, Float32Tensor> {
  return new Map(
    parameters.map((p, i) => {
      const size = p.shape.reduce((a, b) => a * b, 1);
      const isScale = p.name.endsWith('.scale');
      const data = Float32Array.from(gaussianSamples(size, 0.5, seededRandomSource(100 + i)), (v) =>
        isScale ? 1 + v : v,
      );
      return [p.name, tensor(p.shape, data)];
    }),
  );
}

async function run(graph: Graph, feeds: Record<string, HostTensor>): Promise<Map<string, HostTensor>> {
  const session = await OnnxSession.create(serializeGraph(graph));
  const out = await session.run(
    Object.fromEntries(Object.entries(feeds).filter(([name]) => session.inputNames.includes(name))),
  );
  await session.release();
  return out;
}

const asFeeds = (values: Map<string, Float32Tensor>) =>
  Object.fromEntries([...values].map(([name, t]) => [name, { data: t.data, shape: t.shape }]));

/** The plain step at batch 1, run once per example: that example's full gradient. */
async function perExampleGradients(values: Map<string, Float32Tensor>, count: number) {
  const single = buildClassifier({ ...config, batch: 1 });
  const loss = op.reduceSum(single.perExampleLoss, [0]);
  const backward = buildBackward({ loss, wrt: single.parameters });
  for (const p of single.parameters) {
    const dense = backward.dense.get(p.name);
    if (dense) single.graph.output(dense, `grad.${p.name}`);
  }
  const rows = backward.rows.get('tokens')?.[0];
  if (!rows) throw new Error('expected row gradients for the token table');
  single.graph.output(rows.indices, 'token_rows.indices');
  single.graph.output(rows.rows, 'token_rows.values');
  const gradients = [];
  for (let i = 0; i < count; i += 1) {
    const out = await run(single.graph, {
      ...asFeeds(values),
      ids: { data: ids.slice(i * seqLen, (i + 1) * seqLen), shape: [1, seqLen] },
      token_mask: { data: tokenMask.slice(i * seqLen, (i + 1) * seqLen), shape: [1, seqLen] },
      labels: { data: labels.slice(i, i + 1), shape: [1] },
    });
    const tokens = scatterAddRows(
      out.get('token_rows.indices')?.data as BigInt64Array,
      out.get('token_rows.values')?.data as Float32Array,
      vocab,
      dModel,
    );
    gradients.push(
      new Map(
        single.parameters.map((p) => [
          p.name,
          tensor(p.shape, p.name === 'tokens' ? tokens : (out.get(`grad.${p.name}`)?.data as Float32Array)),
        ]),
      ),
    );
  }
  return gradients;
}

function expectClose(actual: Float32Array, expected: Float32Array, name: string): void {
  const scale = Math.max(1e-3, ...Array.from(expected, Math.abs));
  const worst = Math.max(...Array.from(actual, (v, i) => Math.abs(v - (expected[i] as number))));
  expect(worst / scale, name).toBeLessThan(2e-4);
}

describe('in-graph DP-SGD gradients on the transformer classifier', () => {
  it('match clipping example by example: per-example norms, clip factors and the clipped sum of every parameter', async () => {
    const model = buildClassifier(config);
    const values = parameterValues(model.parameters);
    const reference = await perExampleGradients(values, 3);
    const referenceNorms = clipAndSum(reference, 1e9).norms;
    const clipNorm = Math.sqrt(Math.min(...referenceNorms) * Math.max(...referenceNorms)); // clips some, not all
    const expected = clipAndSum(reference, clipNorm);

    const mask = model.graph.input('example_mask', 'float32', [batch]);
    const dp = buildDpGradients({ perExampleLoss: model.perExampleLoss, parameters: model.parameters, clipNorm, mask });
    for (const [name, value] of dp.dense) model.graph.output(value, `clipped.${name}`);
    const rows = dp.rows.get('tokens');
    if (!rows) throw new Error('expected clipped rows for the token table');
    model.graph.output(rows.indices, 'rows.indices');
    model.graph.output(rows.rows, 'rows.values');
    model.graph.output(dp.normSquared, 'norm_squared');
    model.graph.output(dp.clipFactors, 'factors');
    const out = await run(model.graph, {
      ...asFeeds(values),
      ids: { data: ids, shape: [batch, seqLen] },
      token_mask: { data: tokenMask, shape: [batch, seqLen] },
      labels: { data: labels, shape: [batch] },
      example_mask: { data: exampleMask, shape: [batch] },
    });

    const norms = Array.from(out.get('norm_squared')?.data as Float32Array, Math.sqrt).slice(0, 3);
    norms.forEach((norm, i) => expect(norm / (referenceNorms[i] as number) - 1).toBeCloseTo(0, 4));
    const factors = Array.from(out.get('factors')?.data as Float32Array);
    expected.factors.forEach((f, i) => expect(factors[i]).toBeCloseTo(f, 5));
    expect(factors[3]).toBe(0);
    expect(factors.filter((f) => f < 1 && f > 0).length).toBeGreaterThan(0);
    expect(factors.slice(0, 3).filter((f) => f === 1).length).toBeGreaterThan(0);

    const tokens = scatterAddRows(
      out.get('rows.indices')?.data as BigInt64Array,
      out.get('rows.values')?.data as Float32Array,
      vocab,
      dModel,
    );
    expectClose(tokens, expected.sum.get('tokens')?.data as Float32Array, 'tokens');
    for (const p of model.parameters.filter((p) => p.name !== 'tokens')) {
      expectClose(
        out.get(`clipped.${p.name}`)?.data as Float32Array,
        expected.sum.get(p.name)?.data as Float32Array,
        p.name,
      );
    }
    expect(dp.dense.size + dp.rows.size).toBe(model.parameters.length);
  });

  it('refuses a parameter it cannot clip per example, naming it', () => {
    const model = buildClassifier({ ...config, batch: 2 });
    const head = model.parameters.find((p) => p.name === 'head.weight') as Value;
    op.matMul(head, op.transpose(head, [1, 0])); // a second use: tied weights
    expect(() => parameterUse(head)).toThrow(/parameter "head.weight" is used 3 times \(MatMul, Transpose, MatMul\)/);
  });
});
