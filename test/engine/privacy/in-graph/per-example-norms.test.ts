/**
 * In-graph per-example norms and clipped sums, run in onnxruntime, against a naive reference that forms
 * every example's gradient explicitly (∇W_i = Σ_t a_t g_tᵀ, ∇E_i[id_t] += g_t) in float64.
 */
import { describe, expect, it } from 'vitest';
import { scatterAddRows } from '../../../../engine/autodiff/scatter-add-rows.ts';
import { Graph } from '../../../../engine/graph/ir.ts';
import { serializeGraph } from '../../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../../engine/runtime/session.ts';
import type { HostTensor } from '../../../../engine/runtime/session.ts';
import {
  clipFactors,
  embeddingNormSquared,
  linearWeightNormSquared,
  useGhostNorm,
} from '../../../../engine/privacy/in-graph/per-example-norms.ts';
import {
  clippedEmbeddingRows,
  clippedLinearWeightGrad,
  scalePerExample,
} from '../../../../engine/privacy/in-graph/clipped-gradients.ts';
import { gaussianSamples } from '../../../../engine/privacy/gaussian-noise.ts';
import { seededRandomSource } from '../seeded-random-source.ts';

const random = (count: number, seed: number) => Float32Array.from(gaussianSamples(count, 1, seededRandomSource(seed)));

async function evaluate(g: Graph, feeds: Record<string, HostTensor>): Promise<Map<string, Float32Array>> {
  const session = await OnnxSession.create(serializeGraph(g));
  const results = await session.run(feeds);
  await session.release();
  return new Map([...results].map(([name, tensor]) => [name, tensor.data as Float32Array]));
}

/** Per-example weight gradients Σ_t a_t g_tᵀ, flattened [d_in·d_out] per example. */
function naiveLinearGrads(a: Float32Array, g: Float32Array, b: number, t: number, din: number, dout: number) {
  return Array.from({ length: b }, (_, i) => {
    const grad = new Float64Array(din * dout);
    for (let s = 0; s < t; s += 1)
      for (let j = 0; j < din; j += 1)
        for (let k = 0; k < dout; k += 1) grad[j * dout + k]! += a[(i * t + s) * din + j]! * g[(i * t + s) * dout + k]!;
    return grad;
  });
}

const squaredNorm = (v: ArrayLike<number>) => Array.from(v).reduce((sum, x) => sum + x * x, 0);
const weightedSum = (vectors: ArrayLike<number>[], weights: ArrayLike<number>) =>
  Array.from(vectors[0] ?? [], (_, j) => vectors.reduce((sum, v, i) => sum + weights[i]! * v[j]!, 0));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  Array.from(actual).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(tolerance * scale));
}

describe.each([
  { name: 'ghost norm (2T² < d_in·d_out), rows [B·T, d]', t: 2, din: 4, dout: 6, rows: true },
  { name: 'explicit per-example gradient (2T² ≥ d_in·d_out), [B, T, d]', t: 5, din: 4, dout: 6, rows: false },
  { name: 'no sequence axis (‖a‖²‖g‖²)', t: 1, din: 3, dout: 5, rows: false },
])('linear layer: $name', ({ t, din, dout, rows }) => {
  const b = 3;
  it('per-example weight norms, clip factors and the clipped sum match the example-by-example reference', async () => {
    const g = new Graph('linear');
    const shapeA = rows ? [b * t, din] : t === 1 ? [b, din] : [b, t, din];
    const shapeG = rows ? [b * t, dout] : t === 1 ? [b, dout] : [b, t, dout];
    const a = g.input('a', 'float32', shapeA);
    const grad = g.input('g', 'float32', shapeG);
    const weightNorm = linearWeightNormSquared(a, grad, { examples: b });
    const factors = clipFactors(weightNorm, 0.9);
    g.output(weightNorm, 'weight_norm');
    g.output(factors, 'factors');
    g.output(clippedLinearWeightGrad(a, scalePerExample(grad, factors)), 'clipped_w');
    g.output(
      clippedLinearWeightGrad(a, scalePerExample(grad, factors), { scale: 0.5, transposed: true }),
      'clipped_wt',
    );
    const aData = random(b * t * din, 1);
    const gData = random(b * t * dout, 2);
    const out = await evaluate(g, { a: { data: aData, shape: shapeA }, g: { data: gData, shape: shapeG } });

    const perW = naiveLinearGrads(aData, gData, b, t, din, dout);
    expectClose(out.get('weight_norm')!, perW.map(squaredNorm));
    const c = perW.map((w) => Math.min(1, 0.9 / Math.sqrt(squaredNorm(w))));
    expectClose(out.get('factors')!, c);
    const clipped = weightedSum(perW, c);
    expectClose(out.get('clipped_w')!, clipped);
    const transposed = Array.from(
      { length: din * dout },
      (_, r) => 0.5 * clipped[(r % din) * dout + Math.floor(r / din)]!,
    );
    expectClose(out.get('clipped_wt')!, transposed);
  });
});

describe('embedding tables', () => {
  it('the ghost norm counts repeated ids together; clipped rows scatter to the clipped sum', async () => {
    const [b, t, d, vocab] = [2, 4, 3, 5];
    const idsData = BigInt64Array.from([1, 3, 1, 1, 0, 4, 2, 4].map(BigInt)); // repeats inside each example
    const g = new Graph('embedding');
    const ids = g.input('ids', 'int64', [b, t]);
    const grad = g.input('g', 'float32', [b, t, d]);
    const factors = g.input('c', 'float32', [b]);
    g.output(embeddingNormSquared(ids, grad), 'embedding_norm');
    g.output(clippedEmbeddingRows(scalePerExample(grad, factors)), 'rows');
    const gData = random(b * t * d, 3);
    const cData = Float32Array.of(0.25, 1);
    const out = await evaluate(g, {
      ids: { data: idsData, shape: [b, t] },
      g: { data: gData, shape: [b, t, d] },
      c: { data: cData, shape: [b] },
    });
    const perE = Array.from({ length: b }, (_, i) => {
      const table = new Float64Array(vocab * d);
      for (let s = 0; s < t; s += 1)
        for (let j = 0; j < d; j += 1) table[Number(idsData[i * t + s]) * d + j]! += gData[(i * t + s) * d + j]!;
      return table;
    });
    expectClose(out.get('embedding_norm')!, perE.map(squaredNorm));
    expectClose(scatterAddRows(idsData, out.get('rows')!, vocab, d), weightedSum(perE, cData));
  });
});

describe('clip factors', () => {
  it('are min(1, C/‖g‖), zero for masked rows, and 1 for a zero gradient', async () => {
    const g = new Graph('factors');
    const norms = g.input('n', 'float32', [4]);
    const mask = g.input('m', 'float32', [4]);
    g.output(clipFactors(norms, 2, mask), 'c');
    const out = await evaluate(g, {
      n: { data: Float32Array.of(0, 1, 16, 100), shape: [4] },
      m: { data: Float32Array.of(1, 1, 1, 0), shape: [4] },
    });
    expectClose(out.get('c')!, [1, 1, 0.5, 0], 1e-7);
  });

  it('the ghost norm is chosen only where it is cheaper', () => {
    expect(useGhostNorm(128, 256, 1024)).toBe(true);
    expect(useGhostNorm(128, 64, 64)).toBe(false);
  });
});
