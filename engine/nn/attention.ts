/**
 * Multi-head self-attention over rows [batch·seq, d]. Heads are split to [B, H, T, Dh] and scores are Q·Kᵀ with Kᵀ
 * a swap of the last two axes, which onnxruntime folds into the MatMul (FusedMatMul transB), forward and backward;
 * 1/√Dh is folded into the queries.
 * Parameters: `${name}.query`, `.key`, `.value`, `.output` (each .weight [d, d] and .bias [d]).
 */
import type { Graph, Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { linear } from './layers.ts';
import type { ModelScope } from './scope.ts';

export interface AttentionShape {
  readonly batch: number;
  readonly sequence: number;
  readonly heads: number;
}

/** A large negative logit: exp underflows to exactly 0 in float32, so masked keys get no weight. */
const maskedLogit = -1e9;

/**
 * The additive attention bias [B, 1, 1, T] (padding only) or [B, 1, T, T] (causal too) from a float mask [B, T]
 * of 1 (token) and 0 (padding). Built once per graph and shared by every layer.
 */
export function attentionBias(graph: Graph, attentionMask: Value, causal: boolean): Value {
  const [batch, sequence] = attentionMask.shape as [number, number];
  const padding = op.reshape(op.mul(op.sub(attentionMask, 1), -maskedLogit), [batch, 1, 1, sequence]);
  if (!causal) return padding;
  const future = new Float32Array(sequence * sequence);
  for (let query = 0; query < sequence; query += 1) {
    for (let key = query + 1; key < sequence; key += 1) future[query * sequence + key] = maskedLogit;
  }
  return op.add(padding, graph.constant(attentionMask.dtype, [1, 1, sequence, sequence], future, 'causal_bias'));
}

function splitHeads(x: Value, shape: AttentionShape): Value {
  const width = x.shape[1] as number;
  return op.transpose(op.reshape(x, [shape.batch, shape.sequence, shape.heads, width / shape.heads]), [0, 2, 1, 3]);
}

export function multiHeadAttention(
  scope: ModelScope,
  name: string,
  x: Value,
  bias: Value,
  shape: AttentionShape,
): Value {
  const width = x.shape[1] as number;
  if (width % shape.heads !== 0)
    throw new Error(`${name}: model width ${width} is not divisible by ${shape.heads} heads`);
  const headWidth = width / shape.heads;
  const query = linear(scope, `${name}.query`, x, width, 1 / Math.sqrt(headWidth));
  const key = linear(scope, `${name}.key`, x, width);
  const value = linear(scope, `${name}.value`, x, width);
  const scores = op.matMul(splitHeads(query, shape), op.transpose(splitHeads(key, shape), [0, 1, 3, 2]));
  const weights = scope.dropout(op.softmax(op.add(scores, bias), -1), `${name}.weights`);
  const context = op.matMul(weights, splitHeads(value, shape));
  const merged = op.reshape(op.transpose(context, [0, 2, 1, 3]), [shape.batch * shape.sequence, width]);
  return linear(scope, `${name}.output`, merged, width);
}
