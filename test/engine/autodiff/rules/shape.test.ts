import { describe, it } from 'vitest';
import * as op from '../../../../engine/graph/ops/index.ts';
import { checkGradients } from '../gradient-check.ts';

const x = { name: 'x', shape: [2, 3, 4] };

describe('shape and reduction gradient rules match finite differences', () => {
  it('ReduceSum, keepdims on and off', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [x],
      build: (v) => op.add(op.reduceSum(v, [0, 2], true), op.unsqueeze(op.reduceSum(v, [1]), [1])),
    }));
  it('ReduceMean, keepdims on and off', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [x],
      build: (v) => op.add(op.reduceMean(v, [-1], true), op.unsqueeze(op.reduceMean(v, [1, 2]), [1, 2])),
    }));
  it('Reshape', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [x],
      build: (v) => op.mul(op.reshape(v, [6, 4]), op.reshape(v, [6, 4])),
    }));
  it('Transpose', () => checkGradients({ dtype: 'float64', inputs: [x], build: (v) => op.transpose(v, [2, 0, 1]) }));
  it('Concat', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'a', shape: [2, 1, 4] },
        { name: 'b', shape: [2, 3, 4] },
      ],
      build: (a, b) => op.concat([a, b, a], 1),
    }));
  it('Slice with negative and clamped bounds', () =>
    checkGradients({ dtype: 'float64', inputs: [x], build: (v) => op.slice(v, [1, -3], [100, -1], [1, 2]) }));
  it('Pad', () => checkGradients({ dtype: 'float64', inputs: [x], build: (v) => op.pad(v, [0, 1, 0, 1, 0, 2]) }));
  it('Gather rows (embeddings) with repeated indices, scattered on the host', () =>
    checkGradients({
      dtype: 'float64',
      inputs: [
        { name: 'table', shape: [5, 3] },
        { name: 'ids', shape: [2, 3], dtype: 'int64', data: [4, 0, 4, 1, 4, 0] },
      ],
      build: (table, ids) => op.gather(table, ids),
    }));
});
