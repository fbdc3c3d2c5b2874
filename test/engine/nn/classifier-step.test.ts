import { describe, expect, it } from 'vitest';
import { scatterAddRows } from '../../../engine/autodiff/scatter-add-rows.ts';
import { serializeGraph } from '../../../engine/graph/serialize.ts';
import {
  buildClassifierStepGraph,
  createClassifierEval,
  createClassifierStep,
} from '../../../engine/nn/classifier-step.ts';
import { initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import type { TransformerClassifierConfig } from '../../../engine/nn/classifier.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';
import type { HostTensor } from '../../../engine/runtime/session.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';

// d = 8, one layer; sequence 5 of a 6-position table (so the position Slice is exercised), one padded row and one
// ignored label. Exact-form GELU has no float64 kernel, so the float64 check uses the tanh form.
const tiny: TransformerClassifierConfig = {
  vocabSize: 11,
  maxSequenceLength: 6,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffDim: 16,
  numClasses: 3,
  gelu: 'tanh',
};
const [batchSize, seqLen] = [3, 5];
const batch = {
  inputIds: BigInt64Array.from([1, 4, 4, 9, 10, 2, 3, 0, 0, 0, 7, 7, 1, 5, 6].map(BigInt)),
  attentionMask: Float32Array.from([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1]),
  labels: BigInt64Array.from([2n, 0n, -100n]),
};

/** Larger-than-init parameters so that every gradient is well above finite-difference noise. */
function parametersForCheck(config: TransformerClassifierConfig): Map<string, Float32Tensor> {
  const params = initializeClassifierParameters(config, 11);
  for (const value of params.values()) value.data.forEach((v, i) => (value.data[i] = v * 20 + (i % 3) * 0.05));
  return params;
}

async function float64Gradients(config: TransformerClassifierConfig, params: Map<string, Float32Tensor>) {
  const { model, rowOutputs, denseNames } = buildClassifierStepGraph(config, batchSize, seqLen, 'float64');
  const session = await OnnxSession.create(serializeGraph(model.graph));
  const feeds: Record<string, HostTensor> = {
    input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
    attention_mask: { data: Float64Array.from(batch.attentionMask), shape: [batchSize, seqLen] },
    labels: { data: batch.labels, shape: [batchSize] },
  };
  for (const [name, value] of params) feeds[name] = { data: Float64Array.from(value.data), shape: value.shape };
  const lossAt = async () => (await session.run(feeds, ['loss'])).get('loss')?.data[0] as number;
  const out = await session.run(feeds);
  const analytic = new Map<string, Float64Array>();
  for (const [name, value] of params) {
    const dense = denseNames.has(name)
      ? Float64Array.from(out.get(`grad.${name}`)?.data as Float64Array)
      : new Float64Array(value.data.length);
    for (const row of rowOutputs.filter((r) => r.parameter === name)) {
      const rows = Float32Array.from(out.get(row.rows)?.data as Float64Array);
      const scattered = scatterAddRows(
        out.get(row.indices)?.data as BigInt64Array,
        rows,
        value.shape[0] as number,
        value.shape[1] as number,
      );
      scattered.forEach((v, i) => (dense[i] = (dense[i] as number) + v));
    }
    analytic.set(name, dense);
  }
  return { session, feeds, lossAt, analytic };
}

describe('classifier training step', () => {
  it('gradients of every parameter match central finite differences (float64 graph)', async () => {
    const params = parametersForCheck(tiny);
    const { session, feeds, lossAt, analytic } = await float64Gradients(tiny, params);
    const h = 1e-6;
    for (const [name, gradient] of analytic) {
      const data = feeds[name]?.data as Float64Array;
      for (let i = 0; i < data.length; i += 1) {
        const original = data[i] as number;
        data[i] = original + h;
        const plus = await lossAt();
        data[i] = original - h;
        const minus = await lossAt();
        data[i] = original;
        const numeric = (plus - minus) / (2 * h);
        // float64 central differences: truncation ~h² and rounding ~1e-16/h ≈ 1e-10.
        if (Math.abs((gradient[i] as number) - numeric) > 1e-6 + 1e-5 * Math.abs(numeric)) {
          expect.fail(`∂loss/∂${name}[${i}]: backward ${gradient[i]}, finite differences ${numeric}`);
        }
      }
    }
    await session.release();
  });

  it('the float32 step (rows scattered on the host) returns the float64-checked gradients', async () => {
    const params = parametersForCheck(tiny);
    const { session, analytic } = await float64Gradients(tiny, params);
    const step = await createClassifierStep(tiny, batchSize, seqLen);
    const { gradients } = await step.run(params, batch);
    expect([...gradients.keys()]).toEqual(step.parameterSpecs.map((spec) => spec.name));
    // float32 rounding is relative to the largest values flowing through the network, not to each element
    // (the key bias gradient, for one, is exactly 0 in exact arithmetic), so the bound uses the largest gradient;
    // the enlarged test parameters make the network ill-conditioned, hence 1e-4 rather than float32 epsilon.
    const scale = Math.max(...[...analytic.values()].map((g) => Math.max(...g.map(Math.abs))));
    for (const [name, reference] of analytic) {
      const got = gradients.get(name) as Float32Array;
      reference.forEach((value, i) => {
        if (Math.abs((got[i] as number) - value) > 1e-4 * scale)
          expect.fail(`${name}[${i}]: float32 ${got[i]}, float64 ${value}`);
      });
    }
    await session.release();
  });

  it('the same seed gives identical parameters and an identical loss; another seed does not', async () => {
    const config = { ...tiny, gelu: 'none' as const };
    const [a, b, c] = [11, 11, 12].map((seed) => initializeClassifierParameters(config, seed)) as [
      ReturnType<typeof initializeClassifierParameters>,
      ReturnType<typeof initializeClassifierParameters>,
      ReturnType<typeof initializeClassifierParameters>,
    ];
    expect(b).toEqual(a);
    expect(c.get('head.weight')?.data).not.toEqual(a.get('head.weight')?.data);
    const step = await createClassifierStep(config, batchSize, seqLen);
    const first = await step.run(a, batch);
    const second = await (await createClassifierStep(config, batchSize, seqLen)).run(b, batch);
    expect(second.loss).toBe(first.loss);
    expect(second.gradients).toEqual(first.gradients);
  });

  it('loss is the mean cross-entropy of the evaluation logits over non-ignored labels', async () => {
    const params = initializeClassifierParameters(tiny, 5);
    const step = await createClassifierStep(tiny, batchSize, seqLen);
    const evaluation = await createClassifierEval(tiny, batchSize, seqLen);
    const logits = await evaluation.run(params, batch);
    const classes = tiny.numClasses;
    let total = 0;
    for (const row of [0, 1]) {
      const scores = Array.from(logits.slice(row * classes, row * classes + classes));
      const logSum = Math.log(scores.reduce((sum, s) => sum + Math.exp(s), 0));
      total += logSum - (scores[Number(batch.labels[row])] as number);
    }
    expect((await step.run(params, batch)).loss).toBeCloseTo(total / 2, 5);
  });

  it('a batch whose labels are all ignored has loss 0 and zero gradients (an empty Poisson sample)', async () => {
    const params = initializeClassifierParameters(tiny, 5);
    const step = await createClassifierStep(tiny, batchSize, seqLen);
    const result = await step.run(params, { ...batch, labels: BigInt64Array.from([-100n, -100n, -100n]) });
    expect(result.loss === 0).toBe(true); // ±0: the sum of no terms may carry a sign
    for (const gradient of result.gradients.values()) expect(gradient.every((v) => v === 0)).toBe(true);
  });
});
