/** ReduceSum and ReduceMean with axes given as an input (opset 18 form). */
import { attr } from '../ir.ts';
import type { Value } from '../ir.ts';
import { normalizeAxis, requireFloat } from '../shape.ts';

function reduce(op: string, x: Value, axes: readonly number[], keepDims: boolean): Value {
  requireFloat(op, [x]);
  const normalized = [...new Set(axes.map((axis) => normalizeAxis(op, [x], axis, x.shape.length)))].sort();
  const shape: number[] = [];
  x.shape.forEach((dim, axis) => {
    if (!normalized.includes(axis)) shape.push(dim);
    else if (keepDims) shape.push(1);
  });
  const g = x.graph;
  const attributes = { keepdims: attr.int(keepDims ? 1 : 0) };
  return g.addNode(op, [x, g.int64s(normalized)], [{ dtype: x.dtype, shape }], attributes)[0] as Value;
}

export function reduceSum(x: Value, axes: readonly number[], keepDims = false): Value {
  if (axes.length === 0) return x;
  return reduce('ReduceSum', x, axes, keepDims);
}

export function reduceMean(x: Value, axes: readonly number[], keepDims = false): Value {
  if (axes.length === 0) return x;
  return reduce('ReduceMean', x, axes, keepDims);
}
