import { describe, expect, it } from 'vitest';
import { bestExactMatch, bestF1, normalizeAnswer, squadScores, tokenF1 } from '../../../engine/metrics/squad.ts';

describe('SQuAD answer normalization (official evaluate-v1.1 / v2.0)', () => {
  it('lowercases, removes ASCII punctuation and the articles a/an/the, and collapses whitespace', () => {
    expect(normalizeAnswer('The Cat!')).toBe('cat');
    expect(normalizeAnswer('  An   apple, a day ')).toBe('apple day');
    // Articles only as whole words: "theory", "another" and "Ana" keep their letters.
    expect(normalizeAnswer('the theory of another Ana')).toBe('theory of another ana');
    // Python's \b is Unicode-aware: "théa" is one word, so its "a" is not an article.
    expect(normalizeAnswer('théa a')).toBe('théa');
    // Only ASCII punctuation is removed (Python's string.punctuation): the en dash stays.
    expect(normalizeAnswer('24–10')).toBe('24–10');
  });
});

describe('SQuAD exact match and F1', () => {
  it('computes token F1 by hand', () => {
    // Prediction "the cat sat on the mat" → [cat, sat, on, mat]; gold "a cat sat" → [cat, sat].
    // Common 2: precision 2/4, recall 2/2, F1 = 2·0.5·1 / 1.5 = 2/3.
    expect(tokenF1('the cat sat on the mat', 'a cat sat')).toBeCloseTo(2 / 3, 12);
    // Repeated tokens count at most as often as in the gold answer: [cat, cat] vs [cat]: P 1/2, R 1, F1 2/3.
    expect(tokenF1('cat cat', 'cat')).toBeCloseTo(2 / 3, 12);
  });

  it('takes the best score over the gold answers', () => {
    // Golds "Denver Broncos" (F1 vs "Broncos" = 2·1·0.5/1.5 = 2/3) and "Broncos" (exact).
    expect(bestExactMatch('the Broncos', ['Denver Broncos', 'Broncos'])).toBe(1);
    expect(bestF1('Denver', ['Denver Broncos', 'The Denver Broncos'])).toBeCloseTo(2 / 3, 12);
  });

  it('reproduces the examples of the Hugging Face squad and squad_v2 metric cards', () => {
    // huggingface/evaluate metrics/squad/README.md: perfect, no match, and partial (2 of 3) — reported ×100.
    expect(squadScores(['1976'], [['1976']])).toMatchObject({ exactMatch: 1, f1: 1 });
    expect(squadScores(['1999'], [['1976']])).toMatchObject({ exactMatch: 0, f1: 0 });
    const partial = squadScores(
      ['1976', 'Beyonce', 'climate change'],
      [['1976'], ['Beyoncé and Bruno Mars'], ['climate change']],
    );
    expect(partial.exactMatch).toBeCloseTo(66.66666666666667 / 100, 12);
    expect(partial.f1).toBeCloseTo(66.66666666666667 / 100, 12);
    expect(partial.hasAnswer?.total).toBe(3);
  });

  it('scores unanswerable questions as SQuAD v2 does: only an empty prediction is right', () => {
    const scores = squadScores(['', 'Paris', 'Paris'], [[], [], ['Paris']]);
    // Q1: no answer, predicted none → 1/1; Q2: no answer, predicted "Paris" → 0/0; Q3: exact → 1/1.
    expect(scores).toMatchObject({ exactMatch: 2 / 3, f1: 2 / 3, total: 3 });
    expect(scores.noAnswer).toEqual({ exactMatch: 0.5, f1: 0.5, total: 2 });
    expect(scores.hasAnswer).toEqual({ exactMatch: 1, f1: 1, total: 1 });
  });
});
