/**
 * The reference point of `npm run bench:defaults`: TF-IDF over lower-cased word unigrams and bigrams (sublinear
 * term frequency, smoothed idf, unit-length rows, as scikit-learn's TfidfVectorizer) and an L2-regularised
 * logistic regression (C = 10) fitted by full-batch Nesterov gradient descent. A bench
 * helper for two-class data, not part of the product.
 */
import type { LabelledText } from '../../engine/train/federated-classifier.ts';

interface SparseRow {
  indices: number[];
  values: number[];
}

function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  return [...words, ...words.slice(1).map((word, i) => `${words[i]} ${word}`)];
}

function counts(text: string): Map<string, number> {
  const counted = new Map<string, number>();
  for (const term of terms(text)) counted.set(term, (counted.get(term) ?? 0) + 1);
  return counted;
}

class TfidfVectorizer {
  private readonly index = new Map<string, number>();
  private idf: number[] = [];

  fit(texts: readonly string[]): void {
    const documentFrequency: number[] = [];
    for (const text of texts)
      for (const term of counts(text).keys()) {
        if (!this.index.has(term)) this.index.set(term, this.index.size);
        const at = this.index.get(term)!;
        documentFrequency[at] = (documentFrequency[at] ?? 0) + 1;
      }
    this.idf = documentFrequency.map((df) => Math.log((1 + texts.length) / (1 + df)) + 1);
  }

  get size(): number {
    return this.index.size;
  }

  transform(text: string): SparseRow {
    const row: SparseRow = { indices: [], values: [] };
    for (const [term, count] of counts(text)) {
      const at = this.index.get(term);
      if (at === undefined) continue;
      row.indices.push(at);
      row.values.push((1 + Math.log(count)) * this.idf[at]!);
    }
    const norm = Math.hypot(...row.values) || 1;
    row.values = row.values.map((value) => value / norm);
    return row;
  }
}

function score(weights: Float64Array, bias: number, row: SparseRow): number {
  let sum = bias;
  row.indices.forEach((at, k) => (sum += weights[at]! * row.values[k]!));
  return sum;
}

/** C = 10 scored above scikit-learn's C = 1 on these reviews; a stronger reference is the fairer one. */
const inverseRegularization = 10;
const iterations = 400;

/** Gradient of mean log-loss + (λ/2)·‖w‖² at (w, b), with λ = 1 / (C·n), into `grad`. */
function gradient(
  weights: Float64Array,
  bias: number,
  rows: readonly SparseRow[],
  labels: readonly number[],
  grad: Float64Array,
): number {
  const lambda = 1 / (inverseRegularization * rows.length);
  for (let i = 0; i < grad.length; i += 1) grad[i] = lambda * weights[i]!;
  let biasGrad = 0;
  rows.forEach((row, i) => {
    const error = (1 / (1 + Math.exp(-score(weights, bias, row))) - labels[i]!) / rows.length;
    biasGrad += error;
    row.indices.forEach((at, k) => (grad[at] = grad[at]! + error * row.values[k]!));
  });
  return biasGrad;
}

/** Held-out accuracy of TF-IDF + logistic regression trained on `train`; labels must be two classes. */
export function tfidfLogisticAccuracy(train: readonly LabelledText[], test: readonly LabelledText[]): number {
  const classes = [...new Set(train.map((row) => row.label))].sort();
  if (classes.length !== 2) throw new Error(`the baseline handles two classes, got ${classes.length}`);
  const vectorizer = new TfidfVectorizer();
  vectorizer.fit(train.map((row) => row.text));
  const rows = train.map((row) => vectorizer.transform(row.text));
  const labels = train.map((row) => classes.indexOf(row.label));
  // Unit-length rows bound the log-loss curvature by 1/4, so a step of 1 / (1/4 + λ) is safe.
  const step = 1 / (0.25 + 1 / (inverseRegularization * rows.length));
  const size = vectorizer.size;
  const [weights, previous, lookahead, grad] = [0, 1, 2, 3].map(() => new Float64Array(size)) as Float64Array[];
  let [bias, previousBias] = [0, 0];
  for (let iteration = 1; iteration <= iterations; iteration += 1) {
    const momentum = (iteration - 1) / (iteration + 2);
    for (let i = 0; i < size; i += 1) lookahead![i] = weights![i]! + momentum * (weights![i]! - previous![i]!);
    const lookaheadBias = bias + momentum * (bias - previousBias);
    const biasGrad = gradient(lookahead!, lookaheadBias, rows, labels, grad!);
    previous!.set(weights!);
    previousBias = bias;
    for (let i = 0; i < size; i += 1) weights![i] = lookahead![i]! - step * grad![i]!;
    bias = lookaheadBias - step * biasGrad;
  }
  const correct = test.filter(
    (row) => (score(weights!, bias, vectorizer.transform(row.text)) > 0 ? 1 : 0) === classes.indexOf(row.label),
  );
  return correct.length / test.length;
}
