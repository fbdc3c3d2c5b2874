/** Data-movement op builders: Reshape, Transpose, Concat, Slice, Pad, Gather, Expand, Unsqueeze. */
import { attr, formatShape } from '../ir.ts';
import type { Value } from '../ir.ts';
import { broadcastShapes, normalizeAxis, shapeError, sizeOf } from '../shape.ts';

/** Reshape to a static shape; one dimension may be -1 (inferred). */
export function reshape(x: Value, shape: readonly number[]): Value {
  const known = shape.filter((dim) => dim !== -1);
  const inferred = shape.length - known.length;
  const total = sizeOf(x.shape);
  if (inferred > 1 || known.some((dim) => !Number.isInteger(dim) || dim < 0)) {
    throw shapeError('Reshape', [x], `invalid target shape ${formatShape(shape)}`);
  }
  const knownSize = sizeOf(known);
  const fill = inferred === 1 ? total / knownSize : 1;
  const target = shape.map((dim) => (dim === -1 ? fill : dim));
  if (!Number.isInteger(fill) || sizeOf(target) !== total) {
    throw shapeError('Reshape', [x], `cannot reshape ${total} elements to ${formatShape(shape)}`);
  }
  if (target.length === x.shape.length && target.every((dim, i) => dim === x.shape[i])) return x;
  const g = x.graph;
  return g.addNode('Reshape', [x, g.int64s(target)], [{ dtype: x.dtype, shape: target }])[0] as Value;
}

export function transpose(x: Value, perm: readonly number[]): Value {
  const rank = x.shape.length;
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((axis, i) => axis !== i)) {
    throw shapeError('Transpose', [x], `perm ${formatShape(perm)} is not a permutation of ${rank} axes`);
  }
  const shape = perm.map((axis) => x.shape[axis] as number);
  return x.graph.addNode('Transpose', [x], [{ dtype: x.dtype, shape }], { perm: attr.ints(perm) })[0] as Value;
}

export function concat(values: readonly Value[], axis: number): Value {
  const first = values[0];
  if (!first) throw new Error('Concat: needs at least one input');
  const rank = first.shape.length;
  const normalized = normalizeAxis('Concat', values, axis, rank);
  for (const value of values) {
    const mismatch =
      value.shape.length !== rank || value.shape.some((dim, i) => i !== normalized && dim !== first.shape[i]);
    if (mismatch || value.dtype !== first.dtype) {
      throw shapeError('Concat', values, `inputs must agree on every axis but ${normalized} and on element type`);
    }
  }
  const shape = [...first.shape];
  shape[normalized] = values.reduce((sum, value) => sum + (value.shape[normalized] as number), 0);
  return first.graph.addNode('Concat', values, [{ dtype: first.dtype, shape }], {
    axis: attr.int(normalized),
  })[0] as Value;
}

/** Step-1 slice along the given axes; negative and out-of-range bounds clamp as in ONNX. */
export function slice(x: Value, starts: readonly number[], ends: readonly number[], axes: readonly number[]): Value {
  if (starts.length !== axes.length || ends.length !== axes.length) {
    throw shapeError('Slice', [x], 'starts, ends and axes must have the same length');
  }
  const shape = [...x.shape];
  const normalizedAxes = axes.map((axis) => normalizeAxis('Slice', [x], axis, x.shape.length));
  normalizedAxes.forEach((axis, i) => {
    const dim = x.shape[axis] as number;
    const clamp = (bound: number) => Math.min(Math.max(bound < 0 ? bound + dim : bound, 0), dim);
    shape[axis] = Math.max(clamp(ends[i] as number) - clamp(starts[i] as number), 0);
  });
  const g = x.graph;
  const inputs = [x, g.int64s(starts), g.int64s(ends), g.int64s(normalizedAxes)];
  return g.addNode('Slice', inputs, [{ dtype: x.dtype, shape }])[0] as Value;
}

/** Constant zero padding; pads = [begin_0, …, begin_n, end_0, …, end_n] as in ONNX. */
export function pad(x: Value, pads: readonly number[]): Value {
  const rank = x.shape.length;
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw shapeError('Pad', [x], `pads ${formatShape(pads)} must hold ${2 * rank} non-negative integers`);
  }
  const shape = x.shape.map((dim, i) => dim + (pads[i] as number) + (pads[i + rank] as number));
  const g = x.graph;
  return g.addNode('Pad', [x, g.int64s(pads)], [{ dtype: x.dtype, shape }], {
    mode: attr.string('constant'),
  })[0] as Value;
}

export function gather(data: Value, indices: Value, axis = 0): Value {
  if (indices.dtype !== 'int64') throw shapeError('Gather', [data, indices], 'indices must be int64');
  const normalized = normalizeAxis('Gather', [data, indices], axis, data.shape.length);
  const shape = [...data.shape.slice(0, normalized), ...indices.shape, ...data.shape.slice(normalized + 1)];
  return data.graph.addNode('Gather', [data, indices], [{ dtype: data.dtype, shape }], {
    axis: attr.int(normalized),
  })[0] as Value;
}

export function expand(x: Value, shape: readonly number[]): Value {
  const g = x.graph;
  const target = g.constant('int64', [shape.length], shape, 'shape');
  const out = broadcastShapes('Expand', [x, { ...target, shape }]);
  return g.addNode('Expand', [x, target], [{ dtype: x.dtype, shape: out }])[0] as Value;
}

export function unsqueeze(x: Value, axes: readonly number[]): Value {
  const rank = x.shape.length + axes.length;
  const normalized = axes.map((axis) => normalizeAxis('Unsqueeze', [x], axis, rank)).sort((a, b) => a - b);
  const shape = [...x.shape];
  for (const axis of normalized) shape.splice(axis, 0, 1);
  return reshape(x, shape);
}

/** A tensor of zeros shaped like a value, without storing the zeros in the model. */
export function zerosLike(x: Value): Value {
  const g = x.graph;
  return expand(g.scalar(0, x.dtype), x.shape);
}
