/**
 * SQuAD exact match and F1, as the official evaluation scripts compute them (v1.1 and v2.0,
 * rajpurkar.github.io/SQuAD-explorer): answers are normalized (lowercase; ASCII punctuation removed; the articles
 * a, an, the removed as whole words; whitespace collapsed), F1 is over the bag of normalized tokens, and each
 * prediction takes its best score over the gold answers. As in v2.0, a question with no gold answer
 * (unanswerable) scores 1 only for an empty prediction. Scores are fractions in [0, 1] (the scripts print ×100).
 */

// Python's string.punctuation: the ASCII punctuation characters only.
const punctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python's \b is Unicode-aware (letters, digits, underscore); JavaScript's is ASCII-only, so spell it out.
const articles = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;

export function normalizeAnswer(text: string): string {
  const lower = text.toLowerCase();
  const withoutPunctuation = [...lower].filter((char) => !punctuation.has(char)).join('');
  const withoutArticles = withoutPunctuation.replace(articles, ' ');
  return withoutArticles.split(/\s+/u).filter(Boolean).join(' ');
}

function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === '' ? [] : normalized.split(' ');
}

export function exactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

export function tokenF1(prediction: string, gold: string): number {
  const predicted = answerTokens(prediction);
  const expected = answerTokens(gold);
  if (predicted.length === 0 || expected.length === 0) return predicted.length === expected.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Gold answers that normalize to nothing are dropped; none left means the question is unanswerable (''). */
function usableGold(golds: readonly string[]): string[] {
  const kept = golds.filter((gold) => normalizeAnswer(gold) !== '');
  return kept.length > 0 ? kept : [''];
}

export function bestExactMatch(prediction: string, golds: readonly string[]): number {
  return Math.max(...usableGold(golds).map((gold) => exactMatch(prediction, gold)));
}

export function bestF1(prediction: string, golds: readonly string[]): number {
  return Math.max(...usableGold(golds).map((gold) => tokenF1(prediction, gold)));
}

export interface SquadScores {
  exactMatch: number;
  f1: number;
  total: number;
  /** The same two scores over answerable and unanswerable questions, when there are any. */
  hasAnswer?: { exactMatch: number; f1: number; total: number };
  noAnswer?: { exactMatch: number; f1: number; total: number };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Scores predictions (one text per question, '' for "no answer") against each question's gold answers. */
export function squadScores(predictions: readonly string[], goldAnswers: readonly (readonly string[])[]): SquadScores {
  if (predictions.length !== goldAnswers.length || predictions.length === 0)
    throw new Error(`need one prediction per question (${predictions.length} for ${goldAnswers.length})`);
  const rows = predictions.map((prediction, i) => {
    const golds = goldAnswers[i]!;
    const answerable = usableGold(golds)[0] !== '';
    return { answerable, em: bestExactMatch(prediction, golds), f1: bestF1(prediction, golds) };
  });
  const summary = (subset: typeof rows) => ({
    exactMatch: mean(subset.map((row) => row.em)),
    f1: mean(subset.map((row) => row.f1)),
    total: subset.length,
  });
  const answerable = rows.filter((row) => row.answerable);
  const unanswerable = rows.filter((row) => !row.answerable);
  return {
    ...summary(rows),
    ...(answerable.length > 0 ? { hasAnswer: summary(answerable) } : {}),
    ...(unanswerable.length > 0 ? { noAnswer: summary(unanswerable) } : {}),
  };
}
