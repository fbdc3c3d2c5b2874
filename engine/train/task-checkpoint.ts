/**
 * The one checkpoint format `accord train` writes: the task model's parameters (optionally the optimizer's state)
 * and, in the metadata, everything needed to evaluate or resume it — the model config, each task's head and class
 * names, the tokenizer and the vocabulary the model's ids index.
 */
import type { TaskHead, TaskModelConfig } from '../nn/task-model.ts';
import type { OptimizerState } from '../optim/optimizer.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import type { TaskDataset } from './task-dataset.ts';
import { taskVocabularyFromMetadata } from './task-vocabulary.ts';
import type { TaskVocabulary } from './task-vocabulary.ts';

export interface SavedTask {
  name: string;
  head: TaskHead;
  labels?: string[];
}

export interface TaskCheckpoint {
  config: TaskModelConfig;
  tasks: SavedTask[];
  parameters: Map<string, Float32Tensor>;
  vocabulary: TaskVocabulary;
  tokenizerPath: string | undefined;
  optimizer: OptimizerState | undefined;
}

export interface TaskCheckpointContents {
  config: TaskModelConfig;
  datasets: readonly TaskDataset[];
  vocabulary: TaskVocabulary;
  parameters: ParameterSet;
  tokenizerPath: string;
  seed: number;
  steps: number;
  optimizer?: OptimizerState | undefined;
}

export const taskCheckpointKeys = { model: 'accord.model', tasks: 'accord.tasks', vocabulary: 'accord.vocabulary' };

export function saveTaskCheckpoint(path: string, contents: TaskCheckpointContents): void {
  const tasks: SavedTask[] = contents.datasets.map((d) => ({
    name: d.name,
    head: d.head,
    ...(d.evaluation.kind === 'classification' ? { labels: d.evaluation.labels } : {}),
  }));
  saveCheckpoint(path, {
    parameters: contents.parameters,
    ...(contents.optimizer ? { optimizer: contents.optimizer } : {}),
    metadata: {
      [taskCheckpointKeys.tasks]: JSON.stringify(tasks),
      'accord.tokenizer': contents.tokenizerPath,
      [taskCheckpointKeys.model]: JSON.stringify(contents.config),
      [taskCheckpointKeys.vocabulary]: contents.vocabulary.saved,
      'accord.seed': String(contents.seed),
      'accord.steps': String(contents.steps),
    },
  });
}

function metadataText(metadata: Record<string, string>, key: string, file: string): string {
  const text = metadata[key];
  if (text === undefined)
    throw new Error(`${file}: no "${key}" in the checkpoint's metadata (was it written by \`accord train\`?)`);
  return text;
}

export function loadTaskCheckpoint(file: string): TaskCheckpoint {
  const checkpoint = loadCheckpoint(file);
  const metadata = checkpoint.metadata ?? {};
  const config = JSON.parse(metadataText(metadata, taskCheckpointKeys.model, file)) as TaskModelConfig;
  const tasks = JSON.parse(metadataText(metadata, taskCheckpointKeys.tasks, file)) as SavedTask[];
  const saved = metadataText(metadata, taskCheckpointKeys.vocabulary, file);
  return {
    config,
    tasks,
    parameters: new Map(checkpoint.parameters),
    vocabulary: taskVocabularyFromMetadata(saved, config.trunk.vocabSize),
    tokenizerPath: metadata['accord.tokenizer'],
    optimizer: checkpoint.optimizer,
  };
}
