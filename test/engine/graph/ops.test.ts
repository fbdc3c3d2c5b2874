import { describe, expect, it } from 'vitest';
import { Graph } from '../../../engine/graph/ir.ts';
import * as op from '../../../engine/graph/ops/index.ts';
import { ShapeError } from '../../../engine/graph/shape.ts';

describe('op builders infer shapes', () => {
  it('broadcasts element-wise ops as numpy does', () => {
    const g = new Graph();
    const a = g.input('a', 'float32', [4, 1, 3]);
    const b = g.input('b', 'float32', [5, 1]);
    expect(op.add(a, b).shape).toEqual([4, 5, 3]);
    expect(op.mul(a, 2).shape).toEqual([4, 1, 3]);
  });

  it('infers batched MatMul, Gemm with transposes, Transpose, Slice, Gather, Concat and reductions', () => {
    const g = new Graph();
    const x = g.input('x', 'float32', [2, 4, 3, 5]);
    const w = g.input('w', 'float32', [5, 7]);
    expect(op.matMul(x, w).shape).toEqual([2, 4, 3, 7]);
    const m = g.input('m', 'float32', [6, 5]);
    expect(() => op.gemm(m, w, undefined, { transA: true })).toThrow('Gemm: inner dimensions differ (6 vs 5)');
    expect(op.gemm(w, m, undefined, { transA: true, transB: true }).shape).toEqual([7, 6]);
    expect(op.transpose(x, [0, 2, 1, 3]).shape).toEqual([2, 3, 4, 5]);
    expect(op.slice(x, [1], [100], [-1]).shape).toEqual([2, 4, 3, 4]);
    const ids = g.input('ids', 'int64', [2, 9]);
    expect(op.gather(w, ids).shape).toEqual([2, 9, 7]);
    expect(op.concat([w, w], 0).shape).toEqual([10, 7]);
    expect(op.reduceSum(x, [1, -1], true).shape).toEqual([2, 1, 3, 1]);
    expect(op.reduceMean(x, [0]).shape).toEqual([4, 3, 5]);
    expect(op.reshape(x, [8, -1]).shape).toEqual([8, 15]);
  });
});

describe('shape errors name the op, the inputs and their shapes', () => {
  const g = new Graph();
  const a = g.input('activations', 'float32', [8, 16]);
  const w = g.input('weight', 'float32', [32, 4]);

  it('MatMul with mismatched inner dimensions', () => {
    expect(() => op.matMul(a, w)).toThrow(ShapeError);
    expect(() => op.matMul(a, w)).toThrow(
      'MatMul: inner dimensions differ (16 vs 32) (inputs: "activations" float32[8, 16], "weight" float32[32, 4])',
    );
  });

  it('Add with shapes that do not broadcast', () => {
    expect(() => op.add(a, w)).toThrow(
      /^Add: shapes cannot be broadcast at axis 0 \(8 vs 32\).*"activations" float32\[8, 16\]/,
    );
  });

  it('Reshape to a different element count, a bad axis, a bad permutation, mixed types', () => {
    expect(() => op.reshape(a, [3, -1])).toThrow('Reshape: cannot reshape 128 elements to [3, -1]');
    expect(() => op.softmax(a, 2)).toThrow('Softmax: axis 2 is out of range for rank 2');
    expect(() => op.transpose(a, [0, 0])).toThrow('Transpose: perm [0, 0] is not a permutation of 2 axes');
    const ids = g.input('ids', 'int64', [8, 16]);
    expect(() => op.add(a, ids)).toThrow('Add: inputs must have the same element type');
    expect(() => op.gather(a, a)).toThrow('Gather: indices must be int64');
  });

  it('LayerNormalization with a scale of the wrong width', () => {
    const scale = g.input('scale', 'float32', [15]);
    expect(() => op.layerNormalization(a, scale, scale)).toThrow(
      'LayerNormalization: scale and bias must have shape [16]',
    );
  });

  it('refuses a duplicate value name', () => {
    expect(() => g.input('activations', 'float32', [1])).toThrow('value name "activations" is already used');
  });
});
