import { describe, it } from 'vitest';
import * as op from '../../../../engine/graph/ops/index.ts';
import { checkGradients } from '../gradient-check.ts';

describe('MatMul and Gemm gradient rules match finite differences', () => {
  it('MatMul, 2-D', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [3, 4] },
        { name: 'b', shape: [4, 2] },
      ],
      build: op.matMul,
    }));
  it('MatMul, batched activations times a 2-D weight', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 3, 4] },
        { name: 'b', shape: [4, 2] },
      ],
      build: op.matMul,
    }));
  it('MatMul, batched on both sides with a broadcast batch axis', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 2, 3, 4] },
        { name: 'b', shape: [1, 2, 4, 3] },
      ],
      build: op.matMul,
    }));
  for (const [transA, transB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`Gemm transA=${transA} transB=${transB} with alpha, beta and a broadcast C`, () =>
      checkGradients({
        dtype: 'float64',
        inputs: [
          { name: 'a', shape: transA ? [4, 3] : [3, 4] },
          { name: 'b', shape: transB ? [2, 4] : [4, 2] },
          { name: 'c', shape: [2] },
        ],
        build: (a, b, c) => op.gemm(a, b, c, { transA, transB, alpha: 0.7, beta: 1.3 }),
      }));
  }
});

describe('MatMul with a transposed operand (attention scores Q·Kᵀ)', () => {
  it('gradients through Transpose of the last two axes, on either side', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'q', shape: [2, 2, 3, 4] },
        { name: 'k', shape: [2, 2, 5, 4] },
      ],
      build: (q, k) =>
        op.add(
          op.matMul(q, op.transpose(k, [0, 1, 3, 2])),
          op.transpose(op.matMul(k, op.transpose(q, [0, 1, 3, 2])), [0, 1, 3, 2]),
        ),
    }));
});
