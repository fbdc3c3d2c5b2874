/**
 * Grouped-query self-attention of the Llama family (Ainslie et al. 2023): H query heads share Hkv key/value heads,
 * query head h reading key/value head ⌊h / (H / Hkv)⌋ as transformers' repeat_kv arranges them. Queries and keys
 * are rotated by their positions (engine/nn/rotary.ts); 1/√Dh is folded into the query projection. Projections
 * have no bias unless `withBias` (Qwen2's q, k and v); the output projection never has one.
 * Parameters: `${name}.query` [d, H·Dh], `.key` and `.value` [d, Hkv·Dh], `.output` [H·Dh, d].
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { linear } from './layers.ts';
import { applyRotary } from './rotary.ts';
import type { RotaryTables } from './rotary.ts';
import type { ModelScope } from './scope.ts';

export interface GroupedAttentionShape {
  readonly batch: number;
  readonly sequence: number;
  readonly heads: number;
  readonly kvHeads: number;
}

/** Rows [B·T, n·Dh] → heads [B, n, T, Dh]. */
function splitHeads(x: Value, shape: GroupedAttentionShape, count: number): Value {
  const width = x.shape[1] as number;
  return op.transpose(op.reshape(x, [shape.batch, shape.sequence, count, width / count]), [0, 2, 1, 3]);
}

/** [B, Hkv, T, Dh] → [B, H, T, Dh], each key/value head repeated for its group of query heads. */
function repeatHeads(x: Value, shape: GroupedAttentionShape): Value {
  const repeats = shape.heads / shape.kvHeads;
  if (repeats === 1) return x;
  const [batch, kvHeads, sequence, width] = x.shape as [number, number, number, number];
  const grouped = op.expand(op.reshape(x, [batch, kvHeads, 1, sequence, width]), [
    batch,
    kvHeads,
    repeats,
    sequence,
    width,
  ]);
  return op.reshape(grouped, [batch, shape.heads, sequence, width]);
}

export function groupedQueryAttention(
  scope: ModelScope,
  name: string,
  x: Value,
  bias: Value,
  shape: GroupedAttentionShape,
  rotary: RotaryTables,
  withBias: boolean,
): Value {
  const width = x.shape[1] as number;
  const headWidth = width / shape.heads;
  const kvWidth = shape.kvHeads * headWidth;
  const query = linear(scope, `${name}.query`, x, width, 1 / Math.sqrt(headWidth), withBias);
  const key = linear(scope, `${name}.key`, x, kvWidth, 1, withBias);
  const value = linear(scope, `${name}.value`, x, kvWidth, 1, withBias);
  const queries = applyRotary(splitHeads(query, shape, shape.heads), rotary);
  const keys = repeatHeads(applyRotary(splitHeads(key, shape, shape.kvHeads), rotary), shape);
  const values = repeatHeads(splitHeads(value, shape, shape.kvHeads), shape);
  const scores = op.matMul(queries, op.transpose(keys, [0, 1, 3, 2]));
  const weights = scope.dropout(op.softmax(op.add(scores, bias), -1), `${name}.weights`);
  const context = op.matMul(weights, values);
  const merged = op.reshape(op.transpose(context, [0, 2, 1, 3]), [shape.batch * shape.sequence, width]);
  return linear(scope, `${name}.output`, merged, width, 1, false);
}
