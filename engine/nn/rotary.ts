/**
 * Rotary position embeddings (Su et al. 2021, "RoFormer") in the Hugging Face Llama layout: the head's features
 * are paired as (i, i + Dh/2) — "rotate_half" — not interleaved (2i, 2i + 1). For position t and pair i the angle
 * is t·θ^(-2i/Dh); x' = x·cos + rotate_half(x)·sin with rotate_half(x) = [-x₂, x₁] and cos, sin repeated over both
 * halves, as transformers' modeling_llama applies it to queries and keys.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import type { ModelScope } from './scope.ts';

export interface RotaryTables {
  /** [T, Dh] */
  readonly cos: Value;
  readonly sin: Value;
}

/** cos and sin of every position's angles, [sequence, headWidth], as graph constants shared by every layer. */
export function rotaryTables(scope: ModelScope, headWidth: number, sequence: number, theta: number): RotaryTables {
  if (headWidth % 2 !== 0) throw new Error(`rotary embeddings need an even head width, got ${headWidth}`);
  const half = headWidth / 2;
  const cos = new Float64Array(sequence * headWidth);
  const sin = new Float64Array(sequence * headWidth);
  for (let t = 0; t < sequence; t += 1) {
    for (let i = 0; i < half; i += 1) {
      const angle = t * theta ** ((-2 * i) / headWidth);
      for (const column of [i, i + half]) {
        cos[t * headWidth + column] = Math.cos(angle);
        sin[t * headWidth + column] = Math.sin(angle);
      }
    }
  }
  const shape = [sequence, headWidth];
  return {
    cos: scope.graph.constant(scope.dtype, shape, cos, 'rotary_cos'),
    sin: scope.graph.constant(scope.dtype, shape, sin, 'rotary_sin'),
  };
}

/** Rotates heads [B, H, T, Dh] by their positions. */
export function applyRotary(x: Value, tables: RotaryTables): Value {
  const headWidth = x.shape[3] as number;
  const half = headWidth / 2;
  const first = op.slice(x, [0], [half], [3]);
  const second = op.slice(x, [half], [headWidth], [3]);
  const rotated = op.concat([op.neg(second), first], 3);
  return op.add(op.mul(x, tables.cos), op.mul(rotated, tables.sin));
}
