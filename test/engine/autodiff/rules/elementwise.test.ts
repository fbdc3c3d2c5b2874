import { describe, it } from 'vitest';
import * as op from '../../../../engine/graph/ops/index.ts';
import { checkGradients } from '../gradient-check.ts';

const x = { name: 'x', shape: [2, 3] };
const positive = { name: 'x', shape: [2, 3], low: 0.5, high: 2 };

describe('element-wise gradient rules match finite differences', () => {
  it('Add broadcasts and reduces back', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 1, 3] },
        { name: 'b', shape: [4, 1] },
      ],
      build: op.add,
    }));
  it('Sub broadcasts and reduces back', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [3] },
        { name: 'b', shape: [2, 3] },
      ],
      build: op.sub,
    }));
  it('Mul broadcasts and reduces back', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 3] },
        { name: 'b', shape: [1, 3] },
      ],
      build: op.mul,
    }));
  it('Div broadcasts and reduces back', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 3] },
        { name: 'b', shape: [2, 1], low: 0.5, high: 2 },
      ],
      build: op.div,
    }));
  it('Neg', () => checkGradients({ dtype: 'float64', inputs: [x], build: op.neg }));
  it('Identity', () => checkGradients({ dtype: 'float64', inputs: [x], build: op.identity }));
  it('Exp', () => checkGradients({ dtype: 'float64', inputs: [x], build: op.exp }));
  it('Log', () => checkGradients({ dtype: 'float64', inputs: [positive], build: op.log }));
  it('Sqrt', () => checkGradients({ dtype: 'float64', inputs: [positive], build: op.sqrt }));
  it('Reciprocal', () => checkGradients({ dtype: 'float64', inputs: [positive], build: op.reciprocal }));
  it('Pow, base and exponent', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [positive, { name: 'p', shape: [3], low: -1.5, high: 2.5 }],
      build: (base, exponent) => op.pow(base, exponent),
    }));
  it('Tanh', () => checkGradients({ dtype: 'float64', inputs: [x], build: op.tanh }));
  it('Sigmoid', () => checkGradients({ dtype: 'float64', inputs: [{ ...x, low: -3, high: 3 }], build: op.sigmoid }));
  it('Relu', () => checkGradients({ dtype: 'float64', inputs: [x], build: op.relu }));
  // onnxruntime has no float64 Erf kernel, so Erf and exact GELU are checked in float32.
  it('Erf (float32)', () => checkGradients({ dtype: 'float32', inputs: [x], build: op.erf }));
  it('Gelu, erf form (float32)', () =>
    checkGradients({ dtype: 'float32', inputs: [{ ...x, low: -3, high: 3 }], build: (v) => op.gelu(v, 'none') }));
  it('Gelu, tanh form', () =>
    checkGradients({ dtype: 'float64', inputs: [{ ...x, low: -3, high: 3 }], build: (v) => op.gelu(v, 'tanh') }));
  it('Where routes the gradient to the chosen branch and broadcasts', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'c', shape: [2, 3], dtype: 'bool', data: [1, 0, 0, 1, 1, 0] },
        { name: 'a', shape: [2, 3] },
        { name: 'b', shape: [3] },
      ],
      build: op.where,
    }));
  it('Cast between float types', () =>
    checkGradients({
      dtype: 'float32',
      inputs: [x],
      build: (v) => op.cast(op.mul(op.cast(v, 'float64'), 3), 'float32'),
    }));
  it('Expand', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [{ name: 'x', shape: [3, 1] }],
      build: (v) => op.expand(v, [2, 3, 4]),
    }));
  it('dropout (a Mul by a seeded mask input) needs no rule of its own', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [x, { name: 'mask', shape: [2, 3], data: [0, 2, 2, 0, 2, 2], constant: true }],
      build: op.mul,
    }));
});
