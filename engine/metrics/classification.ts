/**
 * Classification metrics over predicted and true labels: accuracy, per-class / macro / micro F1 and the Matthews
 * correlation coefficient (binary, and its multiclass generalisation, Gorodkin 2004, "Comparing two K-category
 * assignments by a K-category correlation coefficient", Comput. Biol. Chem. 28(5); the form scikit-learn uses).
 */
export type Label = string | number;

function checkLengths(predicted: readonly Label[], actual: readonly Label[]): void {
  if (predicted.length !== actual.length)
    throw new Error(`${predicted.length} predictions for ${actual.length} true labels: they must pair up`);
  if (predicted.length === 0) throw new Error('no examples to score');
}

export function accuracy(predicted: readonly Label[], actual: readonly Label[]): number {
  checkLengths(predicted, actual);
  let correct = 0;
  predicted.forEach((label, i) => (correct += label === actual[i] ? 1 : 0));
  return correct / predicted.length;
}

export interface ConfusionMatrix {
  /** Every label seen in either list, in first-seen order (true labels first). */
  labels: Label[];
  /** counts[t][p]: examples whose true label is labels[t] and predicted label labels[p]. */
  counts: number[][];
}

export function confusionMatrix(predicted: readonly Label[], actual: readonly Label[]): ConfusionMatrix {
  checkLengths(predicted, actual);
  const labels = [...new Set([...actual, ...predicted])];
  const position = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  actual.forEach((label, i) => {
    const row = counts[position.get(label) ?? 0];
    const column = position.get(predicted[i] ?? label) ?? 0;
    if (row) row[column] = (row[column] ?? 0) + 1;
  });
  return { labels, counts };
}

interface ClassCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

function classCounts(matrix: ConfusionMatrix): ClassCounts[] {
  const { counts } = matrix;
  return matrix.labels.map((_, k) => {
    const truePositives = counts[k]?.[k] ?? 0;
    const actualK = (counts[k] ?? []).reduce((a, b) => a + b, 0);
    const predictedK = counts.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    return { truePositives, falsePositives: predictedK - truePositives, falseNegatives: actualK - truePositives };
  });
}

/** F1 = 2TP / (2TP + FP + FN); 0 when a class is neither predicted nor present (scikit-learn's zero_division=0). */
function f1Of(counts: ClassCounts): number {
  const denominator = 2 * counts.truePositives + counts.falsePositives + counts.falseNegatives;
  return denominator === 0 ? 0 : (2 * counts.truePositives) / denominator;
}

export interface F1Scores {
  perClass: Map<Label, number>;
  /** Unweighted mean of the per-class F1 over every label seen. */
  macro: number;
  /** F1 of the pooled counts; equals accuracy for single-label classification. */
  micro: number;
}

export function f1Scores(predicted: readonly Label[], actual: readonly Label[]): F1Scores {
  const matrix = confusionMatrix(predicted, actual);
  const perClassCounts = classCounts(matrix);
  const perClass = new Map(matrix.labels.map((label, k) => [label, f1Of(perClassCounts[k]!)]));
  const pooled = perClassCounts.reduce(
    (sum, counts) => ({
      truePositives: sum.truePositives + counts.truePositives,
      falsePositives: sum.falsePositives + counts.falsePositives,
      falseNegatives: sum.falseNegatives + counts.falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
  const macro = [...perClass.values()].reduce((a, b) => a + b, 0) / perClass.size;
  return { perClass, macro, micro: f1Of(pooled) };
}

/** F1 of one class treated as positive (binary F1, as GLUE reports for MRPC and QQP). */
export function binaryF1(predicted: readonly Label[], actual: readonly Label[], positive: Label): number {
  return f1Scores(predicted, actual).perClass.get(positive) ?? 0;
}

/**
 * Matthews correlation: (c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), with c the correct predictions, s the
 * examples, p_k and t_k how often class k is predicted and true. For two classes it is the familiar
 * (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)). 0 when undefined (one class only), as in scikit-learn.
 */
export function matthewsCorrelation(predicted: readonly Label[], actual: readonly Label[]): number {
  const { counts } = confusionMatrix(predicted, actual);
  const s = predicted.length;
  const c = counts.reduce((sum, row, k) => sum + (row[k] ?? 0), 0);
  const t = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const p = counts.map((_, k) => counts.reduce((sum, row) => sum + (row[k] ?? 0), 0));
  const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
  const denominator = Math.sqrt((s * s - dot(p, p)) * (s * s - dot(t, t)));
  return denominator === 0 ? 0 : (c * s - dot(p, t)) / denominator;
}
