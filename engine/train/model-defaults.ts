/**
 * Which model a run trains when it names none, and the settings each kind starts from. Classification trained
 * from scratch gets the n-gram embedding bag (engine/nn/bag-trunk.ts): on a few thousand labelled texts it beats
 * a from-scratch transformer by several points of held-out accuracy (docs/training.md has the figures), and it
 * reads 512 tokens of a review where the transformer's default window is 48. A run that starts from a
 * checkpoint (`init`) or trains QA or summarization gets the transformer, whose defaults are unchanged.
 */
import type { ModelKind, TaskJobSpec, TaskSpec } from './task-job-spec.ts';

export function defaultModelKind(tasks: readonly TaskSpec[], init: string | undefined): ModelKind {
  return init === undefined && tasks.every((task) => task.kind === 'classification') ? 'bag' : 'transformer';
}

type RunDefaults = Partial<Omit<TaskJobSpec, 'model'>> & { model?: Partial<TaskJobSpec['model']> };

/** The bag's settings for small data: long inputs, a high rate, dropout and weight decay against memorising. */
export const bagDefaults: RunDefaults = {
  batchSize: 32,
  seqLen: 512,
  epochs: 20,
  learningRate: 5e-3,
  warmupFraction: 0,
  weightDecay: 0.01,
  model: { kind: 'bag', dModel: 32, dropout: 0.5 },
};

/** The transformer classifier: larger batches of shorter sequences than QA or summarization need. */
export const transformerClassificationDefaults: RunDefaults = { batchSize: 32, seqLen: 48 };
