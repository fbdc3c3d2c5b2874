/** MatMul and Gemm builders with numpy matmul shape rules checked at build time. */
import { attr } from '../ir.ts';
import type { Value } from '../ir.ts';
import { requireFloat, requireSameDtype, shapeError } from '../shape.ts';

function broadcastBatch(op: string, inputs: Value[], a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis += 1) {
    const left = a[axis - (rank - a.length)] ?? 1;
    const right = b[axis - (rank - b.length)] ?? 1;
    if (left !== right && left !== 1 && right !== 1) {
      throw shapeError(op, inputs, `batch dimensions cannot be broadcast (${left} vs ${right})`);
    }
    result.push(Math.max(left, right));
  }
  return result;
}

/** Numpy matmul; both operands must have rank ≥ 2 (rank-1 promotion is not needed by the engine). */
export function matMul(a: Value, b: Value): Value {
  const inputs = [a, b];
  requireFloat('MatMul', inputs);
  requireSameDtype('MatMul', inputs);
  if (a.shape.length < 2 || b.shape.length < 2) throw shapeError('MatMul', inputs, 'both inputs need rank ≥ 2');
  const m = a.shape[a.shape.length - 2] as number;
  const k = a.shape[a.shape.length - 1] as number;
  const k2 = b.shape[b.shape.length - 2] as number;
  const n = b.shape[b.shape.length - 1] as number;
  if (k !== k2) throw shapeError('MatMul', inputs, `inner dimensions differ (${k} vs ${k2})`);
  const batch = broadcastBatch('MatMul', inputs, a.shape.slice(0, -2), b.shape.slice(0, -2));
  return a.graph.addNode('MatMul', inputs, [{ dtype: a.dtype, shape: [...batch, m, n] }])[0] as Value;
}

export interface GemmOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly alpha?: number;
  readonly beta?: number;
}

/** alpha·op(A)·op(B) + beta·C for 2-D A and B; C broadcasts to [M, N]. */
export function gemm(a: Value, b: Value, c?: Value, options: GemmOptions = {}): Value {
  const inputs = c ? [a, b, c] : [a, b];
  requireFloat('Gemm', inputs);
  requireSameDtype('Gemm', inputs);
  if (a.shape.length !== 2 || b.shape.length !== 2) throw shapeError('Gemm', inputs, 'A and B must be 2-D');
  const [m, k] = options.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [k2, n] = options.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== k2) throw shapeError('Gemm', inputs, `inner dimensions differ (${k} vs ${k2})`);
  if (c) {
    const cm = c.shape.length === 2 ? c.shape[0] : 1;
    const cn = c.shape.length >= 1 ? c.shape[c.shape.length - 1] : 1;
    if (c.shape.length > 2 || (cm !== 1 && cm !== m) || (cn !== 1 && cn !== n)) {
      throw shapeError('Gemm', inputs, `C does not broadcast to [${m}, ${n}]`);
    }
  }
  const attributes = {
    transA: attr.int(options.transA ? 1 : 0),
    transB: attr.int(options.transB ? 1 : 0),
    alpha: attr.float(options.alpha ?? 1),
    beta: attr.float(options.beta ?? 1),
  };
  return a.graph.addNode(
    'Gemm',
    inputs,
    [{ dtype: a.dtype, shape: [m as number, n as number] }],
    attributes,
  )[0] as Value;
}
