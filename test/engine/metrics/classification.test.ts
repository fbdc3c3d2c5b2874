import { describe, expect, it } from 'vitest';
import {
  accuracy,
  binaryF1,
  confusionMatrix,
  f1Scores,
  matthewsCorrelation,
} from '../../../engine/metrics/classification.ts';

describe('classification metrics', () => {
  // Worked by hand: actual    [0, 1, 0, 0, 1, 0]
  //                 predicted [0, 1, 1, 0, 1, 1]
  // class 1: TP 2 (positions 1, 4), FP 2 (2, 5), FN 0; class 0: TP 2 (0, 3), FP 0, FN 2; TN for class 1 = 2.
  const actual = [0, 1, 0, 0, 1, 0];
  const predicted = [0, 1, 1, 0, 1, 1];

  it('computes accuracy, F1 and MCC of a binary case worked by hand', () => {
    expect(accuracy(predicted, actual)).toBeCloseTo(4 / 6, 12);
    // F1(1) = 2·2 / (2·2 + 2 + 0) = 4/6; F1(0) = 2·2 / (2·2 + 0 + 2) = 4/6; macro 4/6; micro = accuracy.
    const f1 = f1Scores(predicted, actual);
    expect(f1.perClass.get(1)).toBeCloseTo(4 / 6, 12);
    expect(f1.perClass.get(0)).toBeCloseTo(4 / 6, 12);
    expect(f1.macro).toBeCloseTo(4 / 6, 12);
    expect(f1.micro).toBeCloseTo(4 / 6, 12);
    expect(binaryF1(predicted, actual, 1)).toBeCloseTo(4 / 6, 12);
    // MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (2·2 − 2·0) / √(4·2·4·2) = 4/8.
    expect(matthewsCorrelation(predicted, actual)).toBeCloseTo(0.5, 12);
  });

  it('reproduces the scikit-learn documentation examples', () => {
    // sklearn.metrics.f1_score docs: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1] → macro 0.26…, micro 0.33…,
    // per class [0.8, 0, 0].
    const f1 = f1Scores([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2]);
    expect(f1.macro).toBeCloseTo(0.8 / 3, 12);
    expect(f1.micro).toBeCloseTo(1 / 3, 12);
    expect([0, 1, 2].map((k) => f1.perClass.get(k))).toEqual([expect.closeTo(0.8, 12), 0, 0]);
    // sklearn.metrics.matthews_corrcoef docs: y_true [+1,+1,+1,-1], y_pred [+1,-1,+1,+1] → -0.33…
    // By hand: TP 2, FN 1, FP 1, TN 0: (2·0 − 1·1) / √(3·3·1·1) = −1/3.
    expect(matthewsCorrelation([1, -1, 1, 1], [1, 1, 1, -1])).toBeCloseTo(-1 / 3, 12);
  });

  it('computes multiclass MCC by hand', () => {
    // actual [0,0,1,1,2,2], predicted [0,1,1,2,2,0]: c = 3 correct, s = 6, t = p = [2,2,2].
    // (c·s − Σ p·t) / √((s² − Σp²)(s² − Σt²)) = (18 − 12) / √(24·24) = 0.25.
    expect(matthewsCorrelation([0, 1, 1, 2, 2, 0], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.25, 12);
    expect(matthewsCorrelation(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(matthewsCorrelation(['a', 'a'], ['a', 'a'])).toBe(0); // undefined: one class only
  });

  it('counts a confusion matrix with string labels, and refuses lists that do not pair up', () => {
    const matrix = confusionMatrix(['pos', 'neg', 'pos'], ['pos', 'pos', 'neg']);
    expect(matrix.labels).toEqual(['pos', 'neg']);
    expect(matrix.counts).toEqual([
      [1, 1],
      [1, 0],
    ]);
    expect(() => accuracy([1], [1, 0])).toThrow(/1 predictions for 2 true labels/);
    expect(() => accuracy([], [])).toThrow(/no examples/);
  });
});
