/**
 * The clipped gradient sum Σ_i c_i ∇θ_i, built from the same activations and output gradients as the
 * norms: every parameter gradient below is linear in the output gradient G, so scaling G per example
 * by c_i before forming the usual weight gradient gives the clipped sum in one pass, with no second
 * backward ("book-keeping", Bu, Wang, Zha, Karypis 2023, "Differentially Private Optimization on Large
 * Model at Small Cost", ICML 2023). Axis 0 is the example.
 */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';

/** G with example i scaled by c_i: outputGrad [B, …] or rows [B·T, …] grouped by example, factors [B]. */
export function scalePerExample(outputGrad: Value, factors: Value): Value {
  const examples = factors.shape[0] as number;
  const rows = outputGrad.shape[0] as number;
  if (rows === examples) {
    return op.mul(outputGrad, op.reshape(factors, [examples, ...outputGrad.shape.slice(1).map(() => 1)]));
  }
  const grouped = op.reshape(outputGrad, [examples, rows / examples, ...outputGrad.shape.slice(1)]);
  const scaled = op.mul(grouped, op.reshape(factors, [examples, ...grouped.shape.slice(1).map(() => 1)]));
  return op.reshape(scaled, outputGrad.shape);
}

export interface LinearGradOptions {
  /** Gemm's α: y = α·a·W. */
  readonly scale?: number;
  /** W is used transposed (stored [d_out, d_in]). */
  readonly transposed?: boolean;
}

/** Σ_i c_i Σ_t α·a_t g_tᵀ = α·Aᵀ·(c ⊙ G) with examples and positions flattened: [d_in, d_out] (or its transpose). */
export function clippedLinearWeightGrad(input: Value, scaledGrad: Value, options: LinearGradOptions = {}): Value {
  const a = op.reshape(input, [-1, input.shape.at(-1) as number]);
  const g = op.reshape(scaledGrad, [-1, scaledGrad.shape.at(-1) as number]);
  const gemmOptions = { transA: true, alpha: options.scale ?? 1 };
  return options.transposed ? op.gemm(g, a, undefined, gemmOptions) : op.gemm(a, g, undefined, gemmOptions);
}

/**
 * The embedding's clipped gradient as rows [B·T, d], one per looked-up id; they are added into the
 * table in TypeScript (autodiff's scatterAddRows), because onnxruntime's ScatterND with reduction=add is wrong with
 * more than one thread (onnxruntime issue 18048, docs/architecture.md).
 */
export function clippedEmbeddingRows(scaledGrad: Value): Value {
  const width = scaledGrad.shape[scaledGrad.shape.length - 1] as number;
  return op.reshape(scaledGrad, [-1, width]);
}
