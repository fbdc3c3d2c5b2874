/**
 * Evaluation of a classifier with its forward-only graph: logits for every held-out batch, the argmax as the
 * prediction, mean cross-entropy (log-sum-exp in float64), accuracy, macro-F1 and Matthews correlation from
 * engine/metrics. Padding rows of the last batch (past `count`) are ignored.
 */
import { accuracy, f1Scores, matthewsCorrelation } from '../metrics/classification.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import type { ClassificationBatch } from './classification-batches.ts';

export interface ClassifierForward {
  /** Logits, row-major [batchSize, classes]. */
  run(parameters: ParameterSet, batch: ClassificationBatch): Promise<Float32Array>;
}

export interface ClassificationEvaluation {
  examples: number;
  loss: number;
  accuracy: number;
  macroF1: number;
  matthewsCorrelation: number;
  predictions: number[];
}

/** Argmax (first maximum on ties) and −log softmax[label] of one row of logits. */
function scoreRow(logits: Float32Array, offset: number, classes: number, label: number) {
  let best = 0;
  let max = -Infinity;
  for (let k = 0; k < classes; k++) {
    const value = logits[offset + k]!;
    if (value > max) [max, best] = [value, k];
  }
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += Math.exp(logits[offset + k]! - max);
  return { prediction: best, loss: Math.log(sum) + max - logits[offset + label]! };
}

export async function evaluateClassifier(
  forward: ClassifierForward,
  parameters: ParameterSet,
  batches: Iterable<ClassificationBatch>,
  classes: number,
): Promise<ClassificationEvaluation> {
  const predictions: number[] = [];
  const actual: number[] = [];
  let lossSum = 0;
  for (const batch of batches) {
    const logits = await forward.run(parameters, batch);
    if (logits.length !== batch.labels.length * classes) {
      throw new Error(`forward returned ${logits.length} logits for ${batch.labels.length} rows × ${classes} classes`);
    }
    for (let row = 0; row < batch.count; row++) {
      const label = Number(batch.labels[row]);
      const scored = scoreRow(logits, row * classes, classes, label);
      predictions.push(scored.prediction);
      actual.push(label);
      lossSum += scored.loss;
    }
  }
  if (predictions.length === 0) throw new Error('no examples to evaluate');
  return {
    examples: predictions.length,
    loss: lossSum / predictions.length,
    accuracy: accuracy(predictions, actual),
    macroF1: f1Scores(predictions, actual).macro,
    matthewsCorrelation: matthewsCorrelation(predictions, actual),
    predictions,
  };
}
