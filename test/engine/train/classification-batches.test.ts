import { describe, expect, it } from 'vitest';
import { evaluationBatches, trainingBatches } from '../../../engine/train/classification-batches.ts';

const examples = Array.from({ length: 10 }, (_, i) => ({
  ids: Array.from({ length: i + 1 }, (_, j) => 10 + j),
  label: i % 2,
}));
const shape = { batchSize: 4, seqLen: 3, padId: 0 };

describe('classification batches', () => {
  it('pads and cuts to seqLen, with a mask of ones over real tokens (worked by hand)', () => {
    const [first] = evaluationBatches(examples, shape);
    // rows: ids [10], [10,11], [10,11,12], [10,11,12,13] cut to 3
    expect([...first!.inputIds].map(Number)).toEqual([10, 0, 0, 10, 11, 0, 10, 11, 12, 10, 11, 12]);
    expect([...first!.attentionMask]).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    expect([...first!.labels].map(Number)).toEqual([0, 1, 0, 1]);
    expect(first!.count).toBe(4);
  });

  it('evaluation covers every example once and marks the padded rows of the last batch', () => {
    const batches = [...evaluationBatches(examples, shape)];
    expect(batches.map((batch) => batch.count)).toEqual([4, 4, 2]);
    expect(batches[2]!.inputIds.length).toBe(12);
  });

  it('a training epoch is a seeded permutation in full batches; epochs and seeds differ', () => {
    const labelsOf = (seed: number, epoch: number) =>
      [...trainingBatches(examples, { ...shape, seqLen: 10 }, seed, epoch)].map((batch) =>
        [...batch.attentionMask].reduce((a, b) => a + b, 0),
      );
    expect(labelsOf(1, 0)).toHaveLength(2);
    expect(labelsOf(1, 0)).toEqual(labelsOf(1, 0));
    expect([labelsOf(1, 1), labelsOf(2, 0)]).not.toEqual([labelsOf(1, 0), labelsOf(1, 0)]);
  });
});
