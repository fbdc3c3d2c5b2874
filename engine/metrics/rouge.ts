/**
 * ROUGE-N, ROUGE-L and ROUGE-Lsum (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries"), computed
 * as Google's rouge-score package does (github.com/google-research/google-research, rouge/): tokens are the
 * [a-z0-9]+ runs of the lowercased text (every other character separates tokens), optionally Porter-stemmed when
 * longer than 3 characters; precision, recall and their harmonic mean per pair of texts.
 */
import { stemmer } from 'stemmer';

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeOptions {
  /** Porter stemming of tokens longer than 3 characters (rouge-score's use_stemmer). */
  stem?: boolean;
}

export function rougeTokenize(text: string, options: RougeOptions = {}): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/);
  const stemmed = options.stem ? tokens.map((token) => (token.length > 3 ? stemmer(token) : token)) : tokens;
  return stemmed.filter((token) => /^[a-z0-9]+$/.test(token));
}

function score(overlap: number, predictionCount: number, targetCount: number): RougeScore {
  const precision = overlap / Math.max(predictionCount, 1);
  const recall = overlap / Math.max(targetCount, 1);
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i += 1) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N: clipped n-gram overlap over the prediction's (precision) and the target's (recall) n-gram counts. */
export function rougeN(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new Error(`ROUGE-N needs n in 1..9, got ${n}`);
  const targetGrams = ngramCounts(target, n);
  const predictionGrams = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [gram, count] of targetGrams) overlap += Math.min(count, predictionGrams.get(gram) ?? 0);
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return score(overlap, total(predictionGrams), total(targetGrams));
}

/** The dynamic-programming table of longest common subsequence lengths (rows: a, columns: b). */
function lcsTable(a: readonly string[], b: readonly string[]): Uint32Array[] {
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = 1; i <= a.length; i += 1) {
    const row = table[i]!;
    const previous = table[i - 1]!;
    for (let j = 1; j <= b.length; j += 1)
      row[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!);
  }
  return table;
}

/** ROUGE-L: longest common subsequence over the prediction's and the target's lengths. */
export function rougeL(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsTable(target, prediction)[target.length]![prediction.length]!;
  return score(lcs, prediction.length, target.length);
}

/** Indices into `reference` of one longest common subsequence with `candidate` (rouge-score's backtrack). */
function lcsIndices(reference: readonly string[], candidate: readonly string[]): number[] {
  const table = lcsTable(reference, candidate);
  const indices: number[] = [];
  let i = reference.length;
  let j = candidate.length;
  while (i > 0 && j > 0) {
    if (reference[i - 1] === candidate[j - 1]) {
      indices.unshift(i - 1);
      i -= 1;
      j -= 1;
    } else if (table[i]![j - 1]! > table[i - 1]![j]!) j -= 1;
    else i -= 1;
  }
  return indices;
}

/**
 * ROUGE-Lsum: summary-level LCS (Lin 2004, section 3.2) over sentences split at newlines: for each target
 * sentence, the union of its LCS with every predicted sentence, each token counted at most as often as it
 * appears on both sides (as ROUGE-1.5.5 and rouge-score do).
 */
export function rougeLsum(targetSentences: string[][], predictionSentences: string[][]): RougeScore {
  const m = targetSentences.reduce((sum, sentence) => sum + sentence.length, 0);
  const n = predictionSentences.reduce((sum, sentence) => sum + sentence.length, 0);
  if (m === 0 || n === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const remaining = (sentences: string[][]) => {
    const counts = new Map<string, number>();
    for (const token of sentences.flat()) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  };
  const targetLeft = remaining(targetSentences);
  const predictionLeft = remaining(predictionSentences);
  let hits = 0;
  for (const reference of targetSentences) {
    const union = new Set(predictionSentences.flatMap((candidate) => lcsIndices(reference, candidate)));
    for (const index of [...union].sort((a, b) => a - b)) {
      const token = reference[index]!;
      if ((targetLeft.get(token) ?? 0) > 0 && (predictionLeft.get(token) ?? 0) > 0) {
        hits += 1;
        targetLeft.set(token, targetLeft.get(token)! - 1);
        predictionLeft.set(token, predictionLeft.get(token)! - 1);
      }
    }
  }
  return score(hits, n, m);
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
  rougeLsum: RougeScore;
}

/** All four scores for one (target, prediction) pair, as rouge-score's RougeScorer.score(target, prediction). */
export function rougeScores(target: string, prediction: string, options: RougeOptions = {}): RougeScores {
  const targetTokens = rougeTokenize(target, options);
  const predictionTokens = rougeTokenize(prediction, options);
  const sentences = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => rougeTokenize(line, options));
  return {
    rouge1: rougeN(targetTokens, predictionTokens, 1),
    rouge2: rougeN(targetTokens, predictionTokens, 2),
    rougeL: rougeL(targetTokens, predictionTokens),
    rougeLsum: rougeLsum(sentences(target), sentences(prediction)),
  };
}

/** Corpus ROUGE: the mean F-measure of each score over the pairs (rouge-score's aggregate mid, no bootstrap). */
export function meanRougeF(targets: readonly string[], predictions: readonly string[], options: RougeOptions = {}) {
  if (targets.length !== predictions.length || targets.length === 0)
    throw new Error(
      `need as many predictions as targets, and at least one (${predictions.length} / ${targets.length})`,
    );
  const sums = { rouge1: 0, rouge2: 0, rougeL: 0, rougeLsum: 0 };
  targets.forEach((target, i) => {
    const scores = rougeScores(target, predictions[i]!, options);
    for (const key of Object.keys(sums) as (keyof RougeScores)[]) sums[key] += scores[key].fmeasure;
  });
  for (const key of Object.keys(sums) as (keyof RougeScores)[]) sums[key] /= targets.length;
  return sums;
}
