import { describe, expect, it } from 'vitest';
import { evaluationBatches } from '../../../engine/train/classification-batches.ts';
import { evaluateClassifier } from '../../../engine/train/evaluate.ts';

/** A fixed "model": logits (first token id − 10, 0), so an example is class 0 when its first id is above 10. */
const forward = {
  async run(_parameters: unknown, batch: { inputIds: BigInt64Array; labels: BigInt64Array }) {
    const rows = batch.labels.length;
    const seqLen = batch.inputIds.length / rows;
    return Float32Array.from({ length: rows * 2 }, (_, i) =>
      i % 2 === 0 ? Number(batch.inputIds[(i >> 1) * seqLen]) - 10 : 0,
    );
  },
};

describe('classifier evaluation', () => {
  it('accuracy, macro-F1 and loss over real rows only (worked by hand)', async () => {
    // ids 12 → logits (2, 0) → class 0; ids 8 → (−2, 0) → class 1; ids 10 → (0, 0) → tie → class 0.
    const examples = [
      { ids: [12], label: 0 },
      { ids: [8], label: 1 },
      { ids: [12], label: 1 },
      { ids: [10], label: 0 },
      { ids: [8], label: 1 },
    ];
    const result = await evaluateClassifier(
      forward,
      new Map(),
      evaluationBatches(examples, { batchSize: 2, seqLen: 1, padId: 0 }),
      2,
    );
    expect(result.examples).toBe(5);
    expect(result.predictions).toEqual([0, 1, 0, 0, 1]);
    expect(result.accuracy).toBe(4 / 5);
    // class 0: tp 2, fp 1, fn 0 → F1 0.8; class 1: tp 2, fp 0, fn 1 → F1 0.8.
    expect(result.macroF1).toBeCloseTo(0.8, 12);
    const ce = (margin: number) => Math.log(1 + Math.exp(-margin));
    expect(result.loss).toBeCloseTo((ce(2) + ce(2) + ce(-2) + ce(0) + ce(2)) / 5, 6);
  });
});
