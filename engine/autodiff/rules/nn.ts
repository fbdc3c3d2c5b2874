/** Gradient rules of Softmax, LogSoftmax, LayerNormalization and SoftmaxCrossEntropyLoss. */
import type { Value } from '../../graph/ir.ts';
import * as op from '../../graph/ops/index.ts';
import { gradOutput, inputAt, outputAt, when } from '../gradient-rule.ts';
import type { GradientContext, GradientRule } from '../gradient-rule.ts';

function axisOf(c: GradientContext): number {
  const attribute = c.node.attributes.get('axis');
  const axis = attribute?.type === 'int' ? attribute.value : -1;
  return axis < 0 ? axis + inputAt(c, 0).shape.length : axis;
}

/** y = softmax(x): ∂x = y ⊙ (g − Σ(g ⊙ y)). */
export const softmaxRule: GradientRule = (c) => {
  const [y, g] = [outputAt(c, 0), gradOutput(c)];
  return [op.mul(y, op.sub(g, op.reduceSum(op.mul(g, y), [axisOf(c)], true)))];
};

/** y = log softmax(x): ∂x = g − exp(y) ⊙ Σg. */
export const logSoftmaxRule: GradientRule = (c) => {
  const [y, g] = [outputAt(c, 0), gradOutput(c)];
  return [op.sub(g, op.mul(op.exp(y), op.reduceSum(g, [axisOf(c)], true)))];
};

/**
 * LayerNormalization over the last axis, with x̂ = (x − μ)·r from the saved mean μ and r = 1/σ:
 * ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂)) with ĝ = g ⊙ γ;  ∂γ = Σ g ⊙ x̂;  ∂β = Σ g (sums over all but the last axis).
 * The row means are matrix-vector products with γ/d (mean(ĝ) = g·γ/d, mean(ĝ ⊙ x̂) = (g ⊙ x̂)·γ/d), which read
 * the big tensors once and write nothing of their size (measured faster than element-wise products and means);
 * ∂γ and ∂β are Gemms with a row of ones (sumLeadingAxes), much faster than ReduceSum over leading axes.
 */
export const layerNormalizationRule: GradientRule = (c) => {
  const [x, scale, g] = [inputAt(c, 0), inputAt(c, 1), gradOutput(c)];
  const width = x.shape[x.shape.length - 1] as number;
  const invStdDev = op.cast(outputAt(c, 2), x.dtype);
  const normalized = op.mul(op.sub(x, op.cast(outputAt(c, 1), x.dtype)), invStdDev);
  const gradTimesNormalized = op.mul(g, normalized);
  const leading = x.shape.length - 1;
  const gradX = () => {
    const scaleColumn = op.reshape(op.div(scale, width), [width, 1]);
    const meanScaled = op.matMul(g, scaleColumn);
    const meanProjection = op.matMul(gradTimesNormalized, scaleColumn);
    const centered = op.sub(op.sub(op.mul(g, scale), meanScaled), op.mul(normalized, meanProjection));
    return op.mul(centered, invStdDev);
  };
  return [
    when(c, 0, gradX),
    when(c, 1, () => op.sumLeadingAxes(gradTimesNormalized, leading)),
    when(c, 2, () => op.sumLeadingAxes(g, leading)),
  ];
};

function stringAttribute(c: GradientContext, name: string, fallback: string): string {
  const attribute = c.node.attributes.get(name);
  return attribute?.type === 'string' ? attribute.value : fallback;
}

/** Per-example weight of the loss gradient: validᵢ·gᵢ (none), validᵢ·g (sum), validᵢ·g / max(Σvalid, 1) (mean). */
function exampleWeights(c: GradientContext, valid: Value): Value {
  const reduction = stringAttribute(c, 'reduction', 'mean');
  const g = gradOutput(c, 0);
  if (reduction === 'none') return op.mul(valid, g);
  if (reduction === 'sum') return op.mul(valid, g);
  return op.mul(valid, op.div(g, op.max(op.reduceSum(valid, [0]), 1)));
}

/**
 * Softmax cross-entropy of scores [N, C] with labels [N]; labels equal to ignore_index contribute nothing.
 * ∂scores = (softmax(scores) − onehot(label)) ⊙ weight, softmax recovered as exp(log_prob).
 */
export const softmaxCrossEntropyRule: GradientRule = (c) => {
  const [scores, labels] = [inputAt(c, 0), inputAt(c, 1)];
  const ignore = c.node.attributes.get('ignore_index');
  const ignoreIndex = ignore?.type === 'int' ? ignore.value : undefined;
  const classes = scores.shape[1] as number;
  const valid = ignoreIndex === undefined ? undefined : op.not(op.equal(labels, ignoreIndex));
  const safeLabels = valid ? op.where(valid, labels, 0) : labels;
  const validWeights = valid
    ? op.cast(valid, scores.dtype)
    : op.expand(scores.graph.scalar(1, scores.dtype), labels.shape);
  const weights = op.unsqueeze(exampleWeights(c, validWeights), [1]);
  const probabilities = op.exp(outputAt(c, 1));
  const delta = op.sub(probabilities, op.oneHot(safeLabels, classes, scores.dtype));
  const fromLoss = op.mul(delta, weights);
  // A consumer of log_prob itself (rare) adds g − softmax·Σg, the LogSoftmax rule.
  const logProbGrad = c.gradOutputs[1];
  const total = logProbGrad
    ? op.add(fromLoss, op.sub(logProbGrad, op.mul(probabilities, op.reduceSum(logProbGrad, [1], true))))
    : fromLoss;
  return [when(c, 0, () => total), undefined, undefined];
};
