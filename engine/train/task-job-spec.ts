/**
 * What a task training run is given and what it reports. A run names one or more tasks, each with its own data
 * files and column mapping; the model shape, optimizer and decoding settings are shared. The trunk is causal
 * (decoder-only) as soon as one task is summarization, since a causal-LM head needs it; classification and QA
 * heads work over a causal trunk too (mean pooling; span logits), only with left-to-right context.
 */
import { fileURLToPath } from 'node:url';
import type { ColumnMapping } from '../data/tasks/column-mapping.ts';
import type { TextTokenizer } from '../data/tokenizer.ts';
import { defaultBigramBuckets } from '../nn/bag-trunk.ts';
import type { LoraConfig } from '../nn/lora.ts';
import type { TaskHead, TaskModelConfig } from '../nn/task-model.ts';
import type { OptimizerAlgorithm } from '../optim/create-optimizer.ts';
import type { ScheduleKind } from '../optim/schedule.ts';
import type { TaskDataset } from './task-dataset.ts';
import { prepareClassificationTask, prepareQaTask, prepareSummarizationTask } from './task-datasets.ts';
import type { DecodingSettings, TaskMetrics } from './task-evaluation.ts';
import type { TaskSampling } from './task-sampler.ts';
import type { TrainingControl } from '../runtime/training-control.ts';
import type { TrainingProgress } from '../runtime/training-progress.ts';
import type { EarlyStoppingReport, HeldOutEpoch } from './early-stopping.ts';

export const taskKinds = ['classification', 'qa', 'summarization'] as const;
export const modelKinds = ['bag', 'transformer'] as const;
export type ModelKind = (typeof modelKinds)[number];
export type TaskKind = (typeof taskKinds)[number];

/** The head each task kind trains. */
export function headKindOf(kind: TaskKind): TaskHead['kind'] {
  return ({ classification: 'classification', qa: 'span', summarization: 'causal-lm' } as const)[kind];
}

export interface TaskSpec {
  /** The head's name: parameters `heads.<name>.*`. */
  name: string;
  kind: TaskKind;
  files: string[];
  mapping?: ColumnMapping;
  /** Loss weight of this task (default 1). */
  weight?: number;
  /** Classification: class names fixed by a checkpoint (evaluation). */
  labels?: string[];
}

export interface TaskJobSpec {
  tasks: TaskSpec[];
  tokenizerPath: string;
  seqLen: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  seed: number;
  optimizer: OptimizerAlgorithm;
  schedule: ScheduleKind;
  warmupFraction: number;
  weightDecay: number;
  maxGradientNorm: number;
  model: {
    /** 'transformer' (default) or 'bag', the n-gram embedding bag (classification only; engine/nn/bag-trunk.ts). */
    kind?: ModelKind;
    layers: number;
    dModel: number;
    heads: number;
    ff: number;
    dropout: number;
    /** Bag: rows of the hashed bigram table. */
    bigramBuckets?: number;
  };
  sampling: TaskSampling;
  validationFraction: number;
  /** QA: tokens shared by consecutive windows of a long context. */
  stride: number;
  decoding: DecodingSettings;
  lora?: LoraConfig;
  /**
   * Start from a checkpoint: one `accord train` wrote (the run resumes it), or a pretrained one in the Hugging Face
   * layout (GPT-2, BERT), used with its tokenizer's ids.
   */
  init?: { file: string; heads?: number };
  out?: string;
  /** Also save the optimizer's state, so that a resumed run continues its moments. */
  saveOptimizerState?: boolean;
  /** Tokens seen fewer times in the training data share the unknown id (models trained from scratch). */
  minTokenCount?: number;
  /**
   * Early stopping: epochs without a lower held-out loss before the run stops and keeps its best epoch; 0 trains
   * every epoch and keeps the last. Unset: `defaultPatience` for classification runs, off for the others (their
   * held-out evaluation decodes text, too slow to repeat every epoch).
   */
  patience?: number;
}

export const defaultPatience = 3;

/** The patience a run uses (0: off); refuses early stopping where no held-out loss is computed. */
export function resolvedPatience(spec: TaskJobSpec): number {
  const classificationOnly = spec.tasks.every((task) => task.kind === 'classification');
  const patience = spec.patience ?? (classificationOnly ? defaultPatience : 0);
  if (!(Number.isInteger(patience) && patience >= 0))
    throw new Error(`patience must be a whole number of epochs, got ${patience}`);
  if (patience > 0 && !classificationOnly)
    throw new Error('early stopping (patience > 0) needs a held-out loss, which only classification tasks report');
  return patience;
}

export interface TaskJobContext {
  readonly control?: TrainingControl;
  reportProgress?(progress: TrainingProgress): void;
  /** After every epoch of a run with early stopping: that epoch's point of the held-out curve. */
  reportEpoch?(point: HeldOutEpoch, maxEpochs: number): void;
}

export interface TaskOutcome {
  name: string;
  kind: TaskHead['kind'];
  trainFeatures: number;
  heldOutFeatures: number;
  /** Classification: the class names, in label-id order. */
  labels?: string[];
  untrained: TaskMetrics;
  /** Null when the run was cancelled: a half-trained model is neither evaluated nor saved. */
  trained: TaskMetrics | null;
  samplePredictions: string[];
}

export interface TaskJobResult {
  tasks: TaskOutcome[];
  steps: number;
  finalTrainLoss: number | null;
  seconds: number;
  cancelled: boolean;
  parameterCount: number;
  exchangedParameters: string[];
  checkpoint: string | null;
  /** The held-out curve, the epoch kept and why the run ended; null when early stopping is off. */
  earlyStopping: EarlyStoppingReport | null;
}

export const defaultTokenizerPath = fileURLToPath(
  new URL('../../resources/tokenizers/bert-base-uncased/tokenizer.json', import.meta.url),
);

export const defaultDecoding: DecodingSettings = {
  beamSize: 1,
  lengthPenalty: 1,
  maxNewTokens: 16,
  maxAnswerTokens: 16,
};

function checkSpec(spec: TaskJobSpec): void {
  if (spec.tasks.length === 0) throw new Error('a training run needs at least one task');
  const names = new Set<string>();
  for (const task of spec.tasks) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(task.name))
      throw new Error(`task name "${task.name}" must start with a letter and hold only letters, digits, _ and -`);
    if (names.has(task.name)) throw new Error(`task "${task.name}" is given twice`);
    names.add(task.name);
    if (!taskKinds.includes(task.kind)) throw new Error(`task "${task.name}": unknown kind "${task.kind}"`);
    if (task.weight !== undefined && !(task.weight > 0))
      throw new Error(`task "${task.name}": weight must be above 0, got ${task.weight}`);
  }
  for (const [name, value] of Object.entries({ epochs: spec.epochs, batchSize: spec.batchSize, seqLen: spec.seqLen }))
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive integer, got ${value}`);
}

export async function prepareTaskDatasets(spec: TaskJobSpec, tokenizer: TextTokenizer): Promise<TaskDataset[]> {
  checkSpec(spec);
  const datasets: TaskDataset[] = [];
  for (const task of spec.tasks) {
    const options = {
      name: task.name,
      files: task.files,
      ...(task.mapping ? { mapping: task.mapping } : {}),
      seqLen: spec.seqLen,
      validationFraction: spec.validationFraction,
      seed: spec.seed,
      ...(task.labels ? { labels: task.labels } : {}),
    };
    if (task.kind === 'classification') datasets.push(await prepareClassificationTask(tokenizer, options));
    else if (task.kind === 'qa') datasets.push(await prepareQaTask(tokenizer, { ...options, stride: spec.stride }));
    else
      datasets.push(
        await prepareSummarizationTask(tokenizer, { ...options, maxNewTokens: spec.decoding.maxNewTokens }),
      );
  }
  return datasets;
}

export function taskModelConfig(
  spec: TaskJobSpec,
  datasets: readonly TaskDataset[],
  vocabSize: number,
): TaskModelConfig {
  const heads = Object.fromEntries(datasets.map((dataset) => [dataset.name, dataset.head]));
  if (spec.model.kind === 'bag') {
    if (datasets.some((dataset) => dataset.head.kind !== 'classification'))
      throw new Error('the bag model classifies only: train QA and summarization with --model transformer');
    const trunk = { vocabSize, maxSequenceLength: spec.seqLen, dModel: spec.model.dModel, heads: 1, layers: 1 };
    const bag = { architecture: 'bag' as const, bigramBuckets: spec.model.bigramBuckets ?? defaultBigramBuckets };
    return { trunk: { ...trunk, ffDim: 1, dropout: spec.model.dropout, ...bag }, heads };
  }
  return {
    trunk: {
      vocabSize,
      maxSequenceLength: spec.seqLen,
      dModel: spec.model.dModel,
      heads: spec.model.heads,
      layers: spec.model.layers,
      ffDim: spec.model.ff,
      dropout: spec.model.dropout,
      causal: datasets.some((dataset) => dataset.head.kind === 'causal-lm'),
    },
    heads,
    ...(spec.lora ? { lora: spec.lora } : {}),
  };
}

/** The defaults of a task job that a command line or a job file overrides. */
export function defaultTaskJobSpec(): Omit<TaskJobSpec, 'tasks'> {
  return {
    tokenizerPath: defaultTokenizerPath,
    seqLen: 64,
    batchSize: 16,
    epochs: 8,
    learningRate: 1e-3,
    seed: 0,
    optimizer: 'adamw',
    schedule: 'linear',
    warmupFraction: 0.1,
    weightDecay: 0.01,
    maxGradientNorm: 1,
    model: { layers: 2, dModel: 64, heads: 4, ff: 128, dropout: 0.1 },
    sampling: 'proportional',
    validationFraction: 0.2,
    stride: 16,
    decoding: { ...defaultDecoding },
  };
}
