/** Neural-network op builders: Softmax, LogSoftmax, LayerNormalization, SoftmaxCrossEntropyLoss, OneHot. */
import { attr } from '../ir.ts';
import { cast } from './elementwise.ts';
import type { DataType, Value } from '../ir.ts';
import { normalizeAxis, requireFloat, requireSameDtype, shapeError } from '../shape.ts';

export function softmax(x: Value, axis = -1): Value {
  requireFloat('Softmax', [x]);
  const normalized = normalizeAxis('Softmax', [x], axis, x.shape.length);
  return x.graph.addNode('Softmax', [x], [{ dtype: x.dtype, shape: x.shape }], {
    axis: attr.int(normalized),
  })[0] as Value;
}

export function logSoftmax(x: Value, axis = -1): Value {
  requireFloat('LogSoftmax', [x]);
  const normalized = normalizeAxis('LogSoftmax', [x], axis, x.shape.length);
  return x.graph.addNode('LogSoftmax', [x], [{ dtype: x.dtype, shape: x.shape }], {
    axis: attr.int(normalized),
  })[0] as Value;
}

export interface LayerNormalizationResult {
  readonly output: Value;
  readonly mean: Value;
  readonly invStdDev: Value;
}

/** Normalizes over the last axis; also returns the saved mean and 1/σ the gradient rule reuses. */
export function layerNormalization(x: Value, scale: Value, bias: Value, epsilon = 1e-5): LayerNormalizationResult {
  const inputs = [x, scale, bias];
  requireFloat('LayerNormalization', inputs);
  requireSameDtype('LayerNormalization', inputs);
  const width = x.shape[x.shape.length - 1];
  if (scale.shape.length !== 1 || bias.shape.length !== 1 || scale.shape[0] !== width || bias.shape[0] !== width) {
    throw shapeError('LayerNormalization', inputs, `scale and bias must have shape [${width}]`);
  }
  const statsShape = [...x.shape.slice(0, -1), 1];
  const [output, mean, invStdDev] = x.graph.addNode(
    'LayerNormalization',
    inputs,
    [
      { dtype: x.dtype, shape: x.shape },
      { dtype: 'float32', shape: statsShape },
      { dtype: 'float32', shape: statsShape },
    ],
    { axis: attr.int(-1), epsilon: attr.float(epsilon) },
  ) as [Value, Value, Value];
  return { output, mean, invStdDev };
}

export interface CrossEntropyOptions {
  /** Labels equal to this are ignored; the mean runs over the others. */
  readonly ignoreIndex?: number;
  readonly reduction?: 'mean' | 'sum' | 'none';
}

export interface CrossEntropyResult {
  readonly loss: Value;
  readonly logProb: Value;
}

/** Softmax cross-entropy of scores [N, C] against int64 labels [N]. */
export function softmaxCrossEntropyLoss(
  scores: Value,
  labels: Value,
  options: CrossEntropyOptions = {},
): CrossEntropyResult {
  const inputs = [scores, labels];
  requireFloat('SoftmaxCrossEntropyLoss', [scores]);
  if (labels.dtype !== 'int64') throw shapeError('SoftmaxCrossEntropyLoss', inputs, 'labels must be int64');
  if (scores.shape.length !== 2 || labels.shape.length !== 1 || labels.shape[0] !== scores.shape[0]) {
    throw shapeError('SoftmaxCrossEntropyLoss', inputs, 'scores must be [N, C] and labels [N]');
  }
  const reduction = options.reduction ?? 'mean';
  const attributes = {
    reduction: attr.string(reduction),
    ...(options.ignoreIndex === undefined ? {} : { ignore_index: attr.int(options.ignoreIndex) }),
  };
  const lossShape = reduction === 'none' ? [scores.shape[0] as number] : [];
  const [loss, logProb] = scores.graph.addNode(
    'SoftmaxCrossEntropyLoss',
    inputs,
    [
      { dtype: scores.dtype, shape: lossShape },
      { dtype: scores.dtype, shape: scores.shape },
    ],
    attributes,
  ) as [Value, Value];
  return { loss, logProb };
}

/** One-hot along a new last axis: off value 0, on value 1. */
export function oneHot(indices: Value, depth: number, dtype: DataType = 'float32'): Value {
  if (indices.dtype !== 'int64') throw shapeError('OneHot', [indices], 'indices must be int64');
  const g = indices.graph;
  // onnxruntime's CPU OneHot has float32 values with int64 indices, not float64: cast after.
  const inputs = [
    indices,
    g.constant('int64', [], [depth], 'depth'),
    g.constant('float32', [2], [0, 1], 'onehot_values'),
  ];
  const shape = [...indices.shape, depth];
  const hot = g.addNode('OneHot', inputs, [{ dtype: 'float32', shape }], { axis: attr.int(-1) })[0] as Value;
  return cast(hot, dtype);
}
