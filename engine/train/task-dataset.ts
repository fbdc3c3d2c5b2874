/**
 * A task's data as the task trainer needs it: training and held-out features (tokenizer ids until the job maps
 * them onto its compact vocabulary) and what evaluation needs beyond them — class names, QA contexts and gold
 * answers with their windows, or summarization prompts and reference summaries.
 */
import { existsSync, statSync } from 'node:fs';
import { splitExamples } from '../data/split.ts';
import { assertNoIssues, readExamples } from '../data/tasks/read-examples.ts';
import type { LocatedExample } from '../data/tasks/read-examples.ts';
import type { ColumnMapping } from '../data/tasks/column-mapping.ts';
import type { TaskSchema } from '../data/tasks/task-schema.ts';
import type { Encoding } from '../data/tokenizer.ts';
import type { TaskHead } from '../nn/task-model.ts';
import type { TaskFeature } from './task-features.ts';

export interface QaHeldOut {
  context: string;
  answers: string[];
  /** Held-out feature index and encoding of each window. */
  windows: { feature: number; encoding: Pick<Encoding, 'offsets' | 'sequenceIds'> }[];
}

export type TaskEvaluationData =
  | { kind: 'classification'; labels: string[] }
  | { kind: 'span'; examples: QaHeldOut[]; allowNoAnswer: boolean }
  | { kind: 'causal-lm'; prompts: number[][]; references: string[]; endId: number };

export interface TaskDataset {
  name: string;
  head: TaskHead;
  train: TaskFeature[];
  heldOut: TaskFeature[];
  evaluation: TaskEvaluationData;
}

export interface SplitSettings {
  validationFraction: number;
  seed: number;
}

/** Reads every file with the task's schema, failing on any bad row, then splits by a seeded content hash. */
export async function readAndSplit<T>(
  files: readonly string[],
  task: TaskSchema<T>,
  mapping: ColumnMapping | undefined,
  split: SplitSettings,
): Promise<{ train: T[]; heldOut: T[] }> {
  if (files.length === 0) throw new Error(`${task.name}: no data file given`);
  const all: LocatedExample<T>[] = [];
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`${file}: no such data file`);
    const { examples, report } = await readExamples(file, task, mapping ? { mapping } : {});
    assertNoIssues(report);
    if (examples.length === 0) throw new Error(`${file}: no examples`);
    for (const example of examples) all.push({ ...example, index: all.length });
  }
  const parts = splitExamples(all, split);
  // A fraction of 1 is evaluation of a checkpoint: everything is held out.
  if ((parts.train.length === 0 && split.validationFraction < 1) || parts.validation.length === 0)
    throw new Error(
      `${task.name}: the split left ${parts.train.length} training and ${parts.validation.length} held-out examples`,
    );
  return { train: parts.train.map((item) => item.example), heldOut: parts.validation.map((item) => item.example) };
}

/** Maps every id of the dataset (features and prompts) onto the compact vocabulary. */
export function compactDataset(
  dataset: TaskDataset,
  vocabulary: { map(ids: readonly number[]): number[] },
): TaskDataset {
  const map = (feature: TaskFeature): TaskFeature => ({ ...feature, ids: vocabulary.map(feature.ids) });
  const evaluation: TaskEvaluationData =
    dataset.evaluation.kind === 'causal-lm'
      ? {
          ...dataset.evaluation,
          prompts: dataset.evaluation.prompts.map((prompt) => vocabulary.map(prompt)),
          endId: vocabulary.map([dataset.evaluation.endId])[0]!,
        }
      : dataset.evaluation;
  return { ...dataset, train: dataset.train.map(map), heldOut: dataset.heldOut.map(map), evaluation };
}
