/**
 * The clipped gradient sum Σ_i c_i ∇θ_i, built from the same activations and output gradients as the
 * norms: every parameter gradient below is linear in the output gradient G, so scaling G per example
 * by c_i before forming the usual weight gradient gives the clipped sum in one pass, with no second
 * backward ("book-keeping", Bu, Wang, Zha, Karypis 2023, "Differentially Private Optimization on Large
 * Model at Small Cost", ICML 2023). Axis 0 is the example.
 */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { asSequence } from './per-example-norms.ts';

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

/** Σ_i c_i Σ_t a_t g_tᵀ = Aᵀ·(c ⊙ G) with examples and positions flattened: [d_in, d_out]. */
export function clippedLinearWeightGrad(input: Value, scaledGrad: Value): Value {
  const inputWidth = input.shape[input.shape.length - 1] as number;
  const outputWidth = scaledGrad.shape[scaledGrad.shape.length - 1] as number;
  const a = op.reshape(input, [-1, inputWidth]);
  const g = op.reshape(scaledGrad, [-1, outputWidth]);
  return op.gemm(a, g, undefined, { transA: true });
}

/** Σ_i c_i Σ_t g_t: [d]. */
export function clippedBiasGrad(scaledGrad: Value): Value {
  return op.reduceSum(asSequence(scaledGrad, 1), [0, 1]);
}

/** Σ_i c_i Σ_t x̂_t ⊙ g_t: [d]. */
export function clippedLayerNormScaleGrad(normalized: Value, scaledGrad: Value): Value {
  return op.reduceSum(asSequence(op.mul(normalized, scaledGrad), 1), [0, 1]);
}

/**
 * The embedding's clipped gradient as rows [B·T, d], one per looked-up id; they are added into the
 * table in TypeScript (scatterRows), because onnxruntime's ScatterND with reduction=add is wrong with
 * more than one thread (onnxruntime issue 18048, DESIGN.md).
 */
export function clippedEmbeddingRows(scaledGrad: Value): Value {
  const width = scaledGrad.shape[scaledGrad.shape.length - 1] as number;
  return op.reshape(scaledGrad, [-1, width]);
}

/** table[ids[r]] += rows[r] for every row r: the TS half of the embedding gradient. */
export function scatterRows(
  table: Float32Array,
  width: number,
  ids: ArrayLike<number | bigint>,
  rows: Float32Array,
): void {
  if (rows.length !== ids.length * width) {
    throw new Error(`scatterRows: ${ids.length} ids need ${ids.length * width} row values, got ${rows.length}`);
  }
  const tableRows = table.length / width;
  for (let r = 0; r < ids.length; r += 1) {
    const id = Number(ids[r]);
    if (!Number.isInteger(id) || id < 0 || id >= tableRows)
      throw new RangeError(`scatterRows: id ${id} at row ${r} is outside the table (${tableRows} rows)`);
    const base = id * width;
    for (let j = 0; j < width; j += 1) table[base + j] = (table[base + j] ?? 0) + (rows[r * width + j] ?? 0);
  }
}
