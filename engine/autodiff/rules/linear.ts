/**
 * Gradient rules of MatMul and Gemm. 2-D products use Gemm's transpose flags instead of Transpose nodes, so the
 * backward pass moves no data; batched products transpose the last two axes, which onnxruntime fuses into MatMul.
 */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { gradOutput, inputAt, unbroadcast, when } from '../gradient-rule.ts';
import type { GradientRule } from '../gradient-rule.ts';

function swapLastTwo(x: Value): Value {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return op.transpose(x, perm);
}

/** Collapses leading axes: [..., m, k] → [prod, k]. */
function flattenLeading(x: Value): Value {
  return op.reshape(x, [-1, x.shape[x.shape.length - 1] as number]);
}

/** ∂B for A [..., m, k] times a 2-D B [k, n]: Aᵀ·G with the batch folded into the rows, one Gemm. */
function matrixGradient(a: Value, g: Value): Value {
  return op.gemm(flattenLeading(a), flattenLeading(g), undefined, { transA: true });
}

/** Whether x is Transpose(y) swapping only the last two axes. */
function isSwapOfLastTwo(x: Value): boolean {
  const producer = x.graph.producerOf(x);
  const perm = producer?.attributes.get('perm');
  if (producer?.opType !== 'Transpose' || perm?.type !== 'ints') return false;
  const rank = perm.value.length;
  return perm.value.every((axis, i) => (i < rank - 2 ? axis === i : axis === (i === rank - 2 ? rank - 1 : rank - 2)));
}

/**
 * For an operand that is itself a last-two-axes swap (attention's Kᵀ), its gradient is formed already swapped
 * (Aᵀ·G = (Gᵀ·A)ᵀ): the Transpose rule swaps it back, onnxruntime cancels the two swaps and fuses the inner one
 * into the MatMul, so no data moves.
 */
export const matMulRule: GradientRule = (c) => {
  const [a, b, g] = [inputAt(c, 0), inputAt(c, 1), gradOutput(c)];
  if (a.shape.length === 2 && b.shape.length === 2) {
    return [
      when(c, 0, () => op.gemm(g, b, undefined, { transB: true })),
      when(c, 1, () => op.gemm(a, g, undefined, { transA: true })),
    ];
  }
  if (b.shape.length === 2) {
    return [when(c, 0, () => op.matMul(g, swapLastTwo(b))), when(c, 1, () => matrixGradient(a, g))];
  }
  const gradA = () =>
    isSwapOfLastTwo(a) && a.shape.length === b.shape.length
      ? swapLastTwo(op.matMul(b, swapLastTwo(g)))
      : op.matMul(g, swapLastTwo(b));
  const gradB = () =>
    isSwapOfLastTwo(b) && a.shape.length === b.shape.length
      ? swapLastTwo(op.matMul(swapLastTwo(g), a))
      : op.matMul(swapLastTwo(a), g);
  return [when(c, 0, () => unbroadcast(gradA(), a.shape)), when(c, 1, () => unbroadcast(gradB(), b.shape))];
};

function flag(c: Parameters<GradientRule>[0], name: string, fallback: number): number {
  const attribute = c.node.attributes.get(name);
  return attribute && (attribute.type === 'int' || attribute.type === 'float') ? attribute.value : fallback;
}

/**
 * Y = α·op(A)·op(B) + β·C.
 * ∂A = α·G·op(B)ᵀ (or its transpose when transA), ∂B = α·op(A)ᵀ·G (or its transpose when transB), ∂C = β·ΣG.
 */
export const gemmRule: GradientRule = (c) => {
  const [a, b, g] = [inputAt(c, 0), inputAt(c, 1), gradOutput(c)];
  const transA = flag(c, 'transA', 0) === 1;
  const transB = flag(c, 'transB', 0) === 1;
  const alpha = flag(c, 'alpha', 1);
  const beta = flag(c, 'beta', 1);
  const gradA = () =>
    transA
      ? op.gemm(b, g, undefined, { transA: transB, transB: true, alpha })
      : op.gemm(g, b, undefined, { transB: !transB, alpha });
  const gradB = () =>
    transB
      ? op.gemm(g, a, undefined, { transA: true, transB: transA, alpha })
      : op.gemm(a, g, undefined, { transA: !transA, alpha });
  const gradC = () => {
    const summed = unbroadcast(g, inputAt(c, 2).shape);
    return beta === 1 ? summed : op.mul(summed, beta);
  };
  return [when(c, 0, gradA), when(c, 1, gradB), c.inputs[2] ? when(c, 2, gradC) : undefined];
};
