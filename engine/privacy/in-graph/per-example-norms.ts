/**
 * Squared per-example gradient norms of a layer's parameters, built into the training graph from the
 * layer's input activations and the gradient of the loss with respect to its output — without
 * materializing one gradient per example where a cheaper identity exists. Axis 0 is the example.
 *
 * Linear layer y = a·W (+ b), per example i with positions t:  ∇W_i = Σ_t a_t g_tᵀ.
 *   - no sequence axis: ‖∇W_i‖² = ‖a_i‖²·‖g_i‖²   (Goodfellow 2015, "Efficient per-example gradient
 *     computations", arXiv:1510.01799);
 *   - with a sequence axis, the "ghost norm" (Li, Tramèr, Liang, Hashimoto 2022, "Large Language Models
 *     Can Be Strong Differentially Private Learners", Sec. 4):
 *       ‖Σ_t a_t g_tᵀ‖²_F = Σ_{t,t'} (a_t·a_t')(g_t·g_t') = ⟨A_i A_iᵀ, G_i G_iᵀ⟩,
 *     which costs O(T²(d_in + d_out)) per example instead of O(T·d_in·d_out) for the explicit gradient;
 *     the cheaper of the two is chosen per layer (ghost when 2T² < d_in·d_out, as Li et al. and
 *     Opacus's fast gradient clipping do).
 * Embedding table E (rows picked by ids):  ∇E_i = Σ_t e_{id_t} g_tᵀ, so
 *   ‖∇E_i‖² = Σ_{t,t'} [id_t = id_t'] (g_t·g_t')   — the ghost norm with one-hot inputs.
 * Biases and LayerNorm's scale and shift: the per-example gradient is a sum over positions, small enough
 * to form directly ([B, d]).
 *
 * `examples` is B. Activations may be [B, …, d] or rows [B·T, d] grouped by example (row b·T + t).
 */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';

/** [B, …, d] or [B·T, d] → [B, T, d], every axis but the example and the feature folded into T. */
export function asSequence(x: Value, examples: number): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.slice(0, -1).reduce((n, d) => n * d, 1);
  if (x.shape.length < 2 || rows % examples !== 0) {
    throw new Error(`per-example clipping: "${x.name}" [${x.shape.join(', ')}] has no axis of ${examples} examples`);
  }
  return op.reshape(x, [examples, rows / examples, width]);
}

/** Σ over every axis but 0: [B, …] → [B]. */
export function sumPerExample(x: Value): Value {
  return op.reduceSum(
    x,
    x.shape.slice(1).map((_, i) => i + 1),
  );
}

/** A_i A_iᵀ for every example: [B, T, d] → [B, T, T]. */
export function gram(sequence: Value): Value {
  return op.matMul(sequence, op.transpose(sequence, [0, 2, 1]));
}

export interface LinearNormOptions {
  /** B (default: the input's first axis). */
  readonly examples?: number;
  /** A Gram matrix of the same activations already built for another layer (Q, K and V share one). */
  readonly inputGram?: Value;
}

export function useGhostNorm(positions: number, inputWidth: number, outputWidth: number): boolean {
  return 2 * positions * positions < inputWidth * outputWidth;
}

/** ‖∇W_i‖² for y = a·W: input [B, …, d_in], outputGrad [B, …, d_out] → [B]. */
export function linearWeightNormSquared(input: Value, outputGrad: Value, options: LinearNormOptions = {}): Value {
  const examples = options.examples ?? (input.shape[0] as number);
  const a = asSequence(input, examples);
  const g = asSequence(outputGrad, examples);
  const [, positions, inputWidth] = a.shape as [number, number, number];
  const outputWidth = g.shape[2] as number;
  if (positions === 1) {
    return op.mul(sumPerExample(op.mul(a, a)), sumPerExample(op.mul(g, g)));
  }
  if (useGhostNorm(positions, inputWidth, outputWidth)) {
    return sumPerExample(op.mul(options.inputGram ?? gram(a), gram(g)));
  }
  const perExample = op.matMul(op.transpose(a, [0, 2, 1]), g); // [B, d_in, d_out]
  return sumPerExample(op.mul(perExample, perExample));
}

/** ‖∇b_i‖² for y = … + b: outputGrad [B, …, d] → [B]. */
export function biasNormSquared(outputGrad: Value, examples = outputGrad.shape[0] as number): Value {
  const perExample = op.reduceSum(asSequence(outputGrad, examples), [1]);
  return sumPerExample(op.mul(perExample, perExample));
}

/** ‖∇γ_i‖² for y = x̂·γ + β: normalized input x̂ and outputGrad, both [B, …, d] → [B]. */
export function layerNormScaleNormSquared(
  normalized: Value,
  outputGrad: Value,
  examples = outputGrad.shape[0] as number,
): Value {
  const perExample = op.reduceSum(asSequence(op.mul(normalized, outputGrad), examples), [1]);
  return sumPerExample(op.mul(perExample, perExample));
}

/** ‖∇E_i‖² for rows gathered from E by int64 ids [B, …] with outputGrad [B, …, d] → [B]. */
export function embeddingNormSquared(ids: Value, outputGrad: Value, examples = ids.shape[0] as number): Value {
  const flatIds = op.reshape(ids, [examples, -1]);
  const same = op.cast(op.equal(op.unsqueeze(flatIds, [2]), op.unsqueeze(flatIds, [1])), outputGrad.dtype);
  return sumPerExample(op.mul(same, gram(asSequence(outputGrad, examples))));
}

/**
 * c_i = min(1, C/‖g_i‖) from the summed squared norms, written C / max(‖g_i‖, C) so that a zero
 * gradient needs no special case; times the example mask, so padding rows contribute nothing.
 */
export function clipFactors(normSquared: Value, clipNorm: number, mask?: Value): Value {
  const norm = op.sqrt(normSquared);
  const factors = op.div(clipNorm, op.max(norm, clipNorm));
  return mask ? op.mul(factors, mask) : factors;
}
