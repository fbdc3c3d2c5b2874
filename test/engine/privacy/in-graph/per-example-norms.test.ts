/**
 * In-graph per-example norms and clipped sums, run in onnxruntime, against a naive reference that forms
 * every example's gradient explicitly (∇W_i = Σ_t a_t g_tᵀ, ∇E_i[id] += g_t, …) in float64.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../../../engine/graph/ir.ts';
import * as op from '../../../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../../engine/runtime/session.ts';
import type { HostTensor } from '../../../../engine/runtime/session.ts';
import {
  biasNormSquared,
  clipFactors,
  embeddingNormSquared,
  layerNormScaleNormSquared,
  linearWeightNormSquared,
  useGhostNorm,
} from '../../../../engine/privacy/in-graph/per-example-norms.ts';
import {
  clippedBiasGrad,
  clippedLinearWeightGrad,
  clippedLayerNormScaleGrad,
  scalePerExample,
  scatterRows,
} from '../../../../engine/privacy/in-graph/clipped-gradients.ts';
import { seededRandomSource } from '../seeded-random-source.ts';
import { gaussianSamples } from '../../../../engine/privacy/gaussian-noise.ts';

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

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  Array.from(actual).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(tolerance * scale));
}

describe.each([
  { name: 'ghost norm (2T² < d_in·d_out)', t: 2, din: 4, dout: 6 },
  { name: 'explicit per-example gradient (2T² ≥ d_in·d_out)', t: 5, din: 4, dout: 6 },
  { name: 'no sequence axis (‖a‖²‖g‖²)', t: 1, din: 3, dout: 5 },
])('linear layer: $name', ({ t, din, dout }) => {
  const b = 3;
  it('per-example weight and bias norms and the clipped sums match the example-by-example reference', async () => {
    const g = new Graph('linear');
    const shapeA = t === 1 ? [b, din] : [b, t, din];
    const shapeG = t === 1 ? [b, dout] : [b, t, dout];
    const a = g.input('a', 'float32', shapeA);
    const grad = g.input('g', 'float32', shapeG);
    const weightNorm = linearWeightNormSquared(a, grad);
    const biasNorm = biasNormSquared(grad);
    const factors = clipFactors(op.add(weightNorm, biasNorm), 0.9);
    const scaled = scalePerExample(grad, factors);
    g.output(weightNorm, 'weight_norm');
    g.output(biasNorm, 'bias_norm');
    g.output(factors, 'factors');
    g.output(clippedLinearWeightGrad(a, scaled), 'clipped_w');
    g.output(clippedBiasGrad(scaled), 'clipped_b');
    const aData = random(b * t * din, 1);
    const gData = random(b * t * dout, 2);
    const out = await evaluate(g, { a: { data: aData, shape: shapeA }, g: { data: gData, shape: shapeG } });

    const perW = naiveLinearGrads(aData, gData, b, t, din, dout);
    const perB = Array.from({ length: b }, (_, i) => {
      const sum = new Float64Array(dout);
      for (let s = 0; s < t; s += 1) for (let k = 0; k < dout; k += 1) sum[k]! += gData[(i * t + s) * dout + k]!;
      return sum;
    });
    expectClose(out.get('weight_norm')!, perW.map(squaredNorm));
    expectClose(out.get('bias_norm')!, perB.map(squaredNorm));
    const c = perW.map((w, i) => Math.min(1, 0.9 / Math.sqrt(squaredNorm(w) + squaredNorm(perB[i]!))));
    expectClose(out.get('factors')!, c);
    expectClose(
      out.get('clipped_w')!,
      perW[0]!.map((_, j) => perW.reduce((sum, w, i) => sum + c[i]! * w[j]!, 0)),
    );
    expectClose(
      out.get('clipped_b')!,
      perB[0]!.map((_, k) => perB.reduce((sum, v, i) => sum + c[i]! * v[k]!, 0)),
    );
  });
});

describe('embedding and LayerNorm parameters', () => {
  it('embedding ghost norm counts repeated ids together; LayerNorm scale norm and clipped sums match', async () => {
    const [b, t, d, vocab] = [2, 4, 3, 5];
    const idsData = BigInt64Array.from([1, 3, 1, 1, 0, 4, 2, 4].map(BigInt)); // repeats inside each example
    const g = new Graph('embedding');
    const ids = g.input('ids', 'int64', [b, t]);
    const grad = g.input('g', 'float32', [b, t, d]);
    const xhat = g.input('xhat', 'float32', [b, t, d]);
    const factors = g.input('c', 'float32', [b]);
    g.output(embeddingNormSquared(ids, grad), 'embedding_norm');
    g.output(layerNormScaleNormSquared(xhat, grad), 'scale_norm');
    g.output(clippedLayerNormScaleGrad(xhat, scalePerExample(grad, factors)), 'clipped_scale');
    g.output(scalePerExample(grad, factors), 'rows');
    const gData = random(b * t * d, 3);
    const xData = random(b * t * d, 4);
    const cData = Float32Array.of(0.25, 1);
    const out = await evaluate(g, {
      ids: { data: idsData, shape: [b, t] },
      g: { data: gData, shape: [b, t, d] },
      xhat: { data: xData, shape: [b, t, d] },
      c: { data: cData, shape: [b] },
    });
    const perE = Array.from({ length: b }, (_, i) => {
      const table = new Float64Array(vocab * d);
      for (let s = 0; s < t; s += 1)
        for (let j = 0; j < d; j += 1) table[Number(idsData[i * t + s]) * d + j]! += gData[(i * t + s) * d + j]!;
      return table;
    });
    const perScale = Array.from({ length: b }, (_, i) => {
      const v = new Float64Array(d);
      for (let s = 0; s < t; s += 1)
        for (let j = 0; j < d; j += 1) v[j]! += gData[(i * t + s) * d + j]! * xData[(i * t + s) * d + j]!;
      return v;
    });
    expectClose(out.get('embedding_norm')!, perE.map(squaredNorm));
    expectClose(out.get('scale_norm')!, perScale.map(squaredNorm));
    expectClose(
      out.get('clipped_scale')!,
      perScale[0]!.map((_, j) => perScale.reduce((s, v, i) => s + cData[i]! * v[j]!, 0)),
    );
    const table = new Float32Array(vocab * d);
    scatterRows(table, d, idsData, out.get('rows')!);
    expectClose(
      table,
      perE[0]!.map((_, j) => perE.reduce((s, v, i) => s + cData[i]! * v[j]!, 0)),
    );
  });

  it('clip factors are min(1, C/‖g‖), zero for masked rows, and 1 for a zero gradient', async () => {
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

  it('picks the ghost norm only where it is cheaper', () => {
    expect(useGhostNorm(128, 256, 1024)).toBe(true);
    expect(useGhostNorm(128, 64, 64)).toBe(false);
    expect(() => scatterRows(new Float32Array(6), 3, [2], Float32Array.of(1, 2, 3))).toThrow(/outside the table/);
  });
});
