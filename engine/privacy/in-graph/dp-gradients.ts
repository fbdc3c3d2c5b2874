/**
 * The DP-SGD gradient in the training graph: per-example gradient norms over every parameter, the clip
 * factors c_i = min(1, C/‖∇θ_i‖), and the clipped sum Σ_i c_i ∇θ_i — from one backward pass that only
 * propagates the gradients of the layers' outputs. Per-example norms use the identities of
 * per-example-norms.ts; the clipped sums scale each example's output gradient by c_i before forming
 * the parameter gradient (clipped-gradients.ts). Noise is added afterwards, in TypeScript.
 *
 * The per-example loss must keep examples apart (no statistic across the batch, such as batch norm or
 * a loss averaged over the whole batch): that is what makes ∇θ_i the gradient of example i alone.
 */
import { buildBackward } from '../../autodiff/backward.ts';
import type { RowGradient } from '../../autodiff/gradient-rule.ts';
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { formatShape } from '../../graph/ir.ts';
import { clippedEmbeddingRows, scalePerExample } from './clipped-gradients.ts';
import {
  asSequence,
  clipFactors,
  embeddingNormSquared,
  gram,
  linearWeightNormSquared,
  sumPerExample,
  useGhostNorm,
} from './per-example-norms.ts';
import { parameterUse } from './parameter-uses.ts';
import type { ParameterUse } from './parameter-uses.ts';

export interface DpGradientRequest {
  /** One loss per example, [B]. */
  readonly perExampleLoss: Value;
  readonly parameters: readonly Value[];
  /** C, the L2 bound on each example's whole gradient. */
  readonly clipNorm: number;
  /** [B]: 1 for a sampled example, 0 for padding (Poisson batches vary in size). */
  readonly mask?: Value;
}

export interface DpGradients {
  /** Σ_i c_i ∇θ_i by parameter name, except gathered tables. */
  readonly dense: ReadonlyMap<string, Value>;
  /** Gathered tables: clipped row gradients to add on the host (scatterAddRows). */
  readonly rows: ReadonlyMap<string, RowGradient>;
  /** ‖∇θ_i‖², [B], before clipping. */
  readonly normSquared: Value;
  /** c_i, [B] (0 for padding). */
  readonly clipFactors: Value;
}

/** [B, …] stays; rows [B·T, …] grouped by example become [B, T, …]. */
function byExample(x: Value, examples: number): Value {
  const rows = x.shape[0] as number;
  if (rows === examples) return x;
  if (rows % examples !== 0) {
    throw new Error(`per-example clipping: "${x.name}" ${formatShape(x.shape)} has no axis of ${examples} examples`);
  }
  return op.reshape(x, [examples, rows / examples, ...x.shape.slice(1)]);
}

/** Axes (other than 0) of `grouped` [B, …] along which a tensor of `shape` is broadcast. */
function broadcastAxes(parameter: Value, shape: readonly number[], grouped: Value): number[] {
  const rank = grouped.shape.length;
  const aligned = [...Array<number>(Math.max(0, rank - shape.length)).fill(1), ...shape];
  if (aligned.length !== rank || aligned[0] !== 1) {
    throw new Error(
      `per-example clipping: parameter "${parameter.name}" ${formatShape(shape)} must broadcast over the examples of ${formatShape(grouped.shape)}`,
    );
  }
  return aligned.flatMap((dim, axis) => (axis > 0 && dim === 1 && grouped.shape[axis] !== 1 ? [axis] : []));
}

type BroadcastUse = Extract<ParameterUse, { kind: 'broadcast' }>;
type LinearUse = Extract<ParameterUse, { kind: 'linear' }>;

/** Per-example gradients of a broadcast parameter (the part it uses), [B, …used shape]. */
function broadcastPerExample(use: BroadcastUse, grad: Value, examples: number, keepExamples: boolean): Value {
  const grouped = byExample(use.contribution(grad), examples);
  const axes = broadcastAxes(use.parameter, use.used.shape, grouped);
  return op.reduceSum(grouped, keepExamples ? axes : [0, ...axes], true);
}

/** The clipped gradient of the used part, padded with zero rows back to the parameter's shape. */
function restoreSlice(use: BroadcastUse, summed: Value): Value {
  const used = op.reshape(summed, use.used.shape);
  if (use.used === use.parameter) return used;
  const rank = used.shape.length;
  const after = (use.parameter.shape[0] as number) - use.start - (used.shape[0] as number);
  const pads = [use.start, ...Array<number>(rank - 1).fill(0), after, ...Array<number>(rank - 1).fill(0)];
  return op.pad(used, pads);
}

function clippedLinear(use: LinearUse, scaledGrad: Value): Value {
  const a = op.reshape(use.activation, [-1, use.activation.shape.at(-1) as number]);
  const g = op.reshape(scaledGrad, [-1, scaledGrad.shape.at(-1) as number]);
  const options = { transA: true, alpha: use.scale };
  return use.transposed ? op.gemm(g, a, undefined, options) : op.gemm(a, g, undefined, options);
}

class GradientBook {
  private readonly grams = new Map<string, Value>();
  private readonly scaled = new Map<string, Value>();
  private readonly grads: ReadonlyMap<string, Value>;
  private readonly examples: number;

  constructor(grads: ReadonlyMap<string, Value>, examples: number) {
    this.grads = grads;
    this.examples = examples;
  }

  grad(value: Value): Value {
    const grad = this.grads.get(value.name);
    if (!grad) throw new Error(`per-example clipping: no gradient reached "${value.name}"`);
    return grad;
  }

  scaledGrad(value: Value, factors: Value): Value {
    const cached = this.scaled.get(value.name) ?? scalePerExample(this.grad(value), factors);
    this.scaled.set(value.name, cached);
    return cached;
  }

  normSquared(use: ParameterUse): Value {
    const g = this.grad(use.output);
    if (use.kind === 'embedding') return embeddingNormSquared(use.ids, g, this.examples);
    if (use.kind === 'broadcast') {
      const perExample = broadcastPerExample(use, g, this.examples, true);
      return sumPerExample(op.mul(perExample, perExample));
    }
    const a = asSequence(use.activation, this.examples);
    const [, positions, inputWidth] = a.shape as [number, number, number];
    const outputWidth = g.shape[g.shape.length - 1] as number;
    let inputGram: Value | undefined;
    if (positions > 1 && useGhostNorm(positions, inputWidth, outputWidth)) {
      inputGram = this.grams.get(use.activation.name) ?? gram(a);
      this.grams.set(use.activation.name, inputGram);
    }
    const squared = linearWeightNormSquared(use.activation, g, {
      examples: this.examples,
      ...(inputGram ? { inputGram } : {}),
    });
    return use.scale === 1 ? squared : op.mul(squared, use.scale * use.scale);
  }

  clipped(use: ParameterUse, factors: Value): Value | RowGradient {
    const g = this.scaledGrad(use.output, factors);
    if (use.kind === 'embedding') {
      return { kind: 'rows', indices: op.reshape(use.ids, [-1]), rows: clippedEmbeddingRows(g) };
    }
    if (use.kind === 'broadcast') return restoreSlice(use, broadcastPerExample(use, g, this.examples, false));
    return clippedLinear(use, g);
  }
}

export function buildDpGradients(request: DpGradientRequest): DpGradients {
  const { perExampleLoss, parameters, clipNorm, mask } = request;
  if (!(clipNorm > 0) || !Number.isFinite(clipNorm))
    throw new RangeError(`clipNorm must be finite and > 0 (got ${clipNorm})`);
  if (perExampleLoss.shape.length !== 1) {
    throw new Error(
      `per-example clipping: the loss must be one value per example, got ${formatShape(perExampleLoss.shape)}`,
    );
  }
  const uses = parameters.map(parameterUse);
  const outputs = [...new Map(uses.map((use) => [use.output.name, use.output])).values()];
  const backward = buildBackward({ loss: perExampleLoss, ...(mask ? { seed: mask } : {}), wrt: outputs });
  const book = new GradientBook(backward.dense, perExampleLoss.shape[0] as number);
  const normSquared = uses.map((use) => book.normSquared(use)).reduce((sum, part) => op.add(sum, part));
  const factors = clipFactors(normSquared, clipNorm, mask);
  const dense = new Map<string, Value>();
  const rows = new Map<string, RowGradient>();
  for (const use of uses) {
    const clipped = book.clipped(use, factors);
    if ('kind' in clipped) rows.set(use.parameter.name, clipped);
    else dense.set(use.parameter.name, clipped);
  }
  return { dense, rows, normSquared, clipFactors: factors };
}
