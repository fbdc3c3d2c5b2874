import { describe, expect, it } from 'vitest';
import { evaluationBatches } from '../../../engine/train/classification-batches.ts';
import { createClassifierModel } from '../../../engine/train/classifier-model.ts';

const shape = { vocabSize: 20, seqLen: 6, classes: 2, layers: 1, dModel: 8, heads: 2, ff: 16, dropout: 0.3 };
const examples = Array.from({ length: 4 }, (_, i) => ({ ids: [2 + i, 5, 7 + i], label: i % 2 }));
const [batch] = evaluationBatches(examples, { batchSize: 4, seqLen: 6, padId: 0 });

describe('classifier model', () => {
  it('draws new dropout masks each step, the same sequence for the same seed', async () => {
    const losses = async (seed: number) => {
      const model = await createClassifierModel(shape, 4, seed);
      const first = await model.step.run(model.parameters, batch!);
      const second = await model.step.run(model.parameters, batch!);
      return [first.loss, second.loss];
    };
    const [a, b] = [await losses(3), await losses(3)];
    expect(a[1]).not.toBe(a[0]);
    expect(b).toEqual(a);
  });

  it('the forward pass has no dropout: two evaluations agree', async () => {
    const model = await createClassifierModel(shape, 4, 1);
    const once = await model.forward.run(model.parameters, batch!);
    expect(once).toHaveLength(8);
    expect(await model.forward.run(model.parameters, batch!)).toEqual(once);
  });
});
