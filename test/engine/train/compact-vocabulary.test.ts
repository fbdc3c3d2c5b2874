import { describe, expect, it } from 'vitest';
import { CompactVocabulary, unknownId } from '../../../engine/train/compact-vocabulary.ts';

describe('compact vocabulary', () => {
  it('orders by count then id after padding and unknown (worked by hand)', () => {
    // counts: 7 → 3, 500 → 2, 42 → 2, 9 → 1
    const vocabulary = CompactVocabulary.fromSequences([[7, 500, 42], [7, 42, 500, 9], [7]]);
    expect(vocabulary.tokenizerIds).toEqual([7, 42, 500, 9]);
    expect(vocabulary.size).toBe(6);
    expect(vocabulary.map([9, 7, 12345])).toEqual([5, 2, unknownId]);
  });

  it('drops tokens seen fewer than minCount times', () => {
    const vocabulary = CompactVocabulary.fromSequences(
      [
        [1, 2, 2],
        [2, 3],
      ],
      2,
    );
    expect(vocabulary.tokenizerIds).toEqual([2]);
    expect(vocabulary.map([1, 2, 3])).toEqual([unknownId, 2, unknownId]);
  });
});
