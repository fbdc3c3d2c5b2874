import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meanRougeF, rougeScores, rougeTokenize } from '../../../engine/metrics/rouge.ts';

describe('ROUGE tokenization (as rouge-score)', () => {
  it('lowercases, splits at every non-[a-z0-9] character and drops the rest', () => {
    expect(rougeTokenize("The U.S. café's 2nd-best!")).toEqual(['the', 'u', 's', 'caf', 's', '2nd', 'best']);
  });

  it('stems only tokens longer than 3 characters', () => {
    // Porter: cats→cat, running→run, quickly→quickli; "runs" has 4 characters and is stemmed, "cat" is not.
    expect(rougeTokenize('cats running quickly runs cat', { stem: true })).toEqual([
      'cat',
      'run',
      'quickli',
      'run',
      'cat',
    ]);
  });
});

describe('ROUGE scores', () => {
  // Cases from rouge-score's rouge_scorer_test.py (google-research/google-research, rouge/).
  it('matches the published unit cases', () => {
    const one = rougeScores('testing one two', 'testing');
    expect(one.rouge1.precision).toBeCloseTo(1, 12);
    expect(one.rouge1.recall).toBeCloseTo(1 / 3, 12);
    expect(one.rouge1.fmeasure).toBeCloseTo(1 / 2, 12);
    const two = rougeScores('testing one two', 'testing one');
    expect(two.rouge2).toEqual({ precision: 1, recall: 1 / 2, fmeasure: expect.closeTo(2 / 3, 12) });
    expect(two.rougeL.fmeasure).toBeCloseTo(4 / 5, 12);
    const nonConsecutive = rougeScores('testing one two', 'testing two');
    expect(nonConsecutive.rougeL.recall).toBeCloseTo(2 / 3, 12);
    expect(nonConsecutive.rougeL.fmeasure).toBeCloseTo(4 / 5, 12);
    for (const score of Object.values(rougeScores('testing one two', '')))
      expect(score).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
    // testRougeLsum: summary-level LCS, union LCS = [w1, w2, w3, w5]: recall 4/5, precision 4/10.
    const lsum = rougeScores('w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5').rougeLsum;
    expect(lsum.recall).toBeCloseTo(0.8, 12);
    expect(lsum.precision).toBeCloseTo(0.4, 12);
    expect(lsum.fmeasure).toBeCloseTo(0.5333, 3);
    expect(rougeScores('w1 w2 w3 w4 w5', '/').rougeLsum.fmeasure).toBe(0);
  });

  it('matches ROUGE-1.5.5 on rouge-score test data, with and without stemming', () => {
    const data = JSON.parse(readFileSync('test/fixtures/metrics/rouge-score-testdata.json', 'utf8')) as {
      targets: string[];
      predictions: string[];
    };
    const [t0, t1] = data.targets as [string, string];
    const [p0, p1] = data.predictions as [string, string];
    const close = (
      actual: { precision: number; recall: number; fmeasure: number },
      r: number,
      p: number,
      f: number,
    ) => {
      expect(actual.recall).toBeCloseTo(r, 5);
      expect(actual.precision).toBeCloseTo(p, 5);
      expect(actual.fmeasure).toBeCloseTo(f, 5);
    };
    // testRouge1AgainstRouge155, testRouge2AgainstRouge155, testRougeLAgainstRouge155.
    close(rougeScores(t0, p0).rouge1, 0.40741, 0.6875, 0.51163);
    close(rougeScores(t1, p1).rouge1, 0.40476, 0.65385, 0.5);
    close(rougeScores(t0, p0).rouge2, 0.30769, 0.53333, 0.39024);
    close(rougeScores(t1, p1).rouge2, 0.29268, 0.48, 0.36364);
    close(rougeScores(t0, p0).rougeL, 0.40741, 0.6875, 0.51163);
    close(rougeScores(t1, p1).rougeL, 0.40476, 0.65385, 0.5);
    // ...WithStemming variants.
    close(rougeScores(t1, p1, { stem: true }).rouge1, 0.42857, 0.69231, 0.52941);
    close(rougeScores(t1, p1, { stem: true }).rouge2, 0.29268, 0.48, 0.36364);
  });

  it('computes a small case worked by hand, where stemming matters', () => {
    // Target tokens (stemmed): the cat were run quickli (5); prediction: a cat run quick (4).
    // Common unigrams: cat, run → P = 2/4, R = 2/5, F = 2·0.5·0.4 / 0.9 = 0.4444…
    // Unstemmed, "cats"≠"cat" and "running"≠"runs": no overlap at all.
    const stemmed = rougeScores('The cats were running quickly', 'a cat runs quick', { stem: true });
    expect(stemmed.rouge1.precision).toBeCloseTo(0.5, 12);
    expect(stemmed.rouge1.recall).toBeCloseTo(0.4, 12);
    expect(stemmed.rouge1.fmeasure).toBeCloseTo(0.4 / 0.9, 12);
    expect(rougeScores('The cats were running quickly', 'a cat runs quick').rouge1.fmeasure).toBe(0);
    // Bigrams, stemmed: target {the cat, cat were, were run, run quickli}, prediction {a cat, cat run, run quick}: none shared.
    expect(stemmed.rouge2.fmeasure).toBe(0);
    // LCS of [the cat were run quickli] and [a cat run quick] is [cat run]: same as ROUGE-1 here.
    expect(stemmed.rougeL.fmeasure).toBeCloseTo(0.4 / 0.9, 12);
  });

  it('averages F-measures over a corpus', () => {
    // Pair 1: rouge1 F = 1/2 (published case above); pair 2: identical texts, F = 1. Mean = 0.75.
    expect(meanRougeF(['testing one two', 'same text'], ['testing', 'same text']).rouge1).toBeCloseTo(0.75, 12);
    expect(() => meanRougeF(['a'], [])).toThrow(/as many predictions as targets/);
  });
});
