/** A task run of sentiment classification on the shipped Amazon sentences, small enough to train in seconds. */
import { fileURLToPath } from 'node:url';
import { defaultTaskJobSpec } from '../../../engine/train/task-job-spec.ts';
import type { TaskJobSpec } from '../../../engine/train/task-job-spec.ts';

export const amazon = fileURLToPath(new URL('../../../resources/datasets/sentiment/amazon.tsv', import.meta.url));

export function sentimentSpec(out?: string): TaskJobSpec {
  const defaults = defaultTaskJobSpec();
  return {
    ...defaults,
    tasks: [{ name: 'sentiment', kind: 'classification', files: [amazon] }],
    batchSize: 32,
    epochs: 3,
    seqLen: 24,
    learningRate: 3e-3,
    model: { layers: 1, dModel: 32, heads: 2, ff: 64, dropout: 0.1 },
    ...(out ? { out } : {}),
  };
}
