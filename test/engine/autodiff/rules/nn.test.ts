import { describe, it } from 'vitest';
import * as op from '../../../../engine/graph/ops/index.ts';
import { checkGradients } from '../gradient-check.ts';

describe('neural-network gradient rules match finite differences', () => {
  it('Softmax over the last axis and over a middle axis', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [{ name: 'x', shape: [2, 3, 4], low: -2, high: 2 }],
      build: (x) => op.add(op.softmax(x, -1), op.softmax(x, 1)),
    }));
  it('LogSoftmax', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [{ name: 'x', shape: [3, 5], low: -2, high: 2 }],
      build: (x) => op.logSoftmax(x),
    }));
  // In float64, onnxruntime still returns the saved mean and 1/σ as float32 (stash_type 1); the rule casts them back,
  // and the check holds at the float64 tolerance because the kernel normalizes in double itself.
  it('LayerNormalization: input, scale and bias', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'x', shape: [2, 3, 5], low: -2, high: 2 },
        { name: 'scale', shape: [5], low: 0.5, high: 1.5 },
        { name: 'bias', shape: [5] },
      ],
      build: (x, scale, bias) => op.layerNormalization(x, scale, bias).output,
    }));
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`SoftmaxCrossEntropyLoss with ignore_index, reduction ${reduction}`, () =>
      checkGradients({
        dtype: 'float64',
        inputs: [
          { name: 'scores', shape: [4, 3], low: -2, high: 2 },
          { name: 'labels', shape: [4], dtype: 'int64', data: [2, -100, 0, 1] },
        ],
        build: (scores, labels) => op.softmaxCrossEntropyLoss(scores, labels, { ignoreIndex: -100, reduction }).loss,
      }));
  }
  it('SoftmaxCrossEntropyLoss without ignore_index', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'scores', shape: [3, 4], low: -2, high: 2 },
        { name: 'labels', shape: [3], dtype: 'int64', data: [3, 0, 3] },
      ],
      build: (scores, labels) => op.softmaxCrossEntropyLoss(scores, labels).loss,
    }));
});
