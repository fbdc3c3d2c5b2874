/**
 * The text classifier a federation trains: the engine's transformer classifier over a vocabulary that does
 * not depend on anyone's data. Token ids of the tokenizer are hashed into a fixed number of buckets (0 is
 * padding), so every participant maps text the same way and no vocabulary fitted to private data (which
 * would spend privacy the ledger does not count) is ever built or shared. The coordinator's `training`
 * settings carry the architecture, so a model spec and its settings always travel together.
 */
import { fileURLToPath } from 'node:url';
import { classificationTask } from '../data/tasks/classification.ts';
import { assertNoIssues, readExamples } from '../data/tasks/read-examples.ts';
import type { DataFormat } from '../data/readers/read-records.ts';
import type { TextTokenizer } from '../data/tokenizer.ts';
import { createClassifierEval } from '../nn/classifier-step.ts';
import { classifierParameterSpecs } from '../nn/classifier.ts';
import type { TransformerClassifierConfig } from '../nn/classifier.ts';
import { isOptimizerAlgorithm } from '../optim/create-optimizer.ts';
import type { OptimizerAlgorithm } from '../optim/create-optimizer.ts';
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { evaluationBatches } from './classification-batches.ts';
import type { ClassificationExample } from './classification-batches.ts';
import { evaluateClassifier } from './evaluate.ts';
import type { ClassificationEvaluation } from './evaluate.ts';

export type TrainingSettings = Readonly<Record<string, number | string | boolean>>;

/** 'transformer' (default) or the n-gram embedding 'bag' of engine/nn/bag-trunk.ts. */
export type FederatedArchitecture = 'transformer' | 'bag';

export interface FederatedClassifierSettings {
  readonly architecture: FederatedArchitecture;
  readonly vocabBuckets: number;
  /** Bag only: rows of the hashed bigram table. */
  readonly bigramBuckets: number;
  readonly seqLen: number;
  readonly layers: number;
  readonly dModel: number;
  readonly heads: number;
  readonly ff: number;
  /** Class names in class-index order, e.g. ["0", "1"]. */
  readonly labels: readonly string[];
  readonly learningRate: number;
  /** Any of engine/optim's algorithms; its state starts fresh every round. */
  readonly optimizer: OptimizerAlgorithm;
  /** Rows per onnxruntime run; a Poisson-sampled batch is cut into chunks of this size. */
  readonly physicalBatchSize: number;
  /** FedProx's μ: each step adds μ·(w − w_global) to the gradient; 0 trains as FedAvg. */
  readonly proximalMu: number;
  /**
   * False keeps the trunk at the federation's seeded initial weights (random features) and trains the head
   * only: DP noise then lands on the head's few coordinates instead of every row of the vocabulary tables.
   */
  readonly trainTrunk: boolean;
}

export const federatedTokenizerPath = fileURLToPath(
  new URL('../../resources/tokenizers/bert-base-uncased/tokenizer.json', import.meta.url),
);

function integerSetting(training: TrainingSettings, name: string, fallback: number): number {
  const value = training[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`training setting "${name}" must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function architectureSetting(training: TrainingSettings): FederatedArchitecture {
  const architecture = training.architecture ?? 'transformer';
  if (architecture !== 'transformer' && architecture !== 'bag')
    throw new Error(
      `training setting "architecture" must be "transformer" or "bag", got ${JSON.stringify(architecture)}`,
    );
  return architecture;
}

function proximalMuSetting(training: TrainingSettings): number {
  const mu = training.proximalMu ?? 0;
  if (typeof mu !== 'number' || !(mu >= 0) || !Number.isFinite(mu))
    throw new Error(`training setting "proximalMu" must be a finite number ≥ 0, got ${JSON.stringify(mu)}`);
  return mu;
}

function flagSetting(training: TrainingSettings, name: string, fallback: boolean): boolean {
  const value = training[name] ?? fallback;
  if (typeof value !== 'boolean')
    throw new Error(`training setting "${name}" must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Reads the architecture and optimizer settings from a round's `training` settings, naming any bad field. */
export function federatedClassifierSettings(training: TrainingSettings): FederatedClassifierSettings {
  const labels = String(training.labels ?? '0,1')
    .split(',')
    .map((label) => label.trim());
  if (labels.length < 2 || labels.some((label) => label === '') || new Set(labels).size !== labels.length)
    throw new Error(`training setting "labels" must list 2 or more distinct class names, got "${training.labels}"`);
  const learningRate = training.learningRate ?? 0.01;
  if (typeof learningRate !== 'number' || !(learningRate > 0))
    throw new Error(`training setting "learningRate" must be a number above 0, got ${JSON.stringify(learningRate)}`);
  const optimizer = String(training.optimizer ?? 'adam');
  if (!isOptimizerAlgorithm(optimizer))
    throw new Error(`training setting "optimizer": unknown algorithm "${optimizer}"`);
  return {
    architecture: architectureSetting(training),
    optimizer,
    vocabBuckets: integerSetting(training, 'vocabBuckets', 1024),
    bigramBuckets: integerSetting(training, 'bigramBuckets', 16384),
    seqLen: integerSetting(training, 'seqLen', 32),
    layers: integerSetting(training, 'layers', 1),
    dModel: integerSetting(training, 'dModel', 32),
    heads: integerSetting(training, 'heads', 2),
    ff: integerSetting(training, 'ff', 64),
    labels,
    learningRate,
    physicalBatchSize: integerSetting(training, 'physicalBatchSize', 64),
    proximalMu: proximalMuSetting(training),
    trainTrunk: flagSetting(training, 'trainTrunk', true),
  };
}

export function federatedClassifierConfig(settings: FederatedClassifierSettings): TransformerClassifierConfig {
  return {
    vocabSize: settings.vocabBuckets,
    maxSequenceLength: settings.seqLen,
    dModel: settings.dModel,
    heads: settings.heads,
    layers: settings.layers,
    ffDim: settings.ff,
    numClasses: settings.labels.length,
    dropout: 0,
    pooling: 'mean',
    ...(settings.architecture === 'bag' ? { architecture: 'bag' as const, bigramBuckets: settings.bigramBuckets } : {}),
  };
}

/** Whether a parameter trains in a round under these settings. */
export function trainsParameter(settings: FederatedClassifierSettings, name: string): boolean {
  return settings.trainTrunk || !name.startsWith('trunk.');
}

export function federatedModelSpec(settings: FederatedClassifierSettings): TensorSpec[] {
  return classifierParameterSpecs(federatedClassifierConfig(settings));
}

/** Refuses a round whose model spec is not the one its training settings describe, naming the first difference. */
export function assertModelMatchesSettings(spec: readonly TensorSpec[], settings: FederatedClassifierSettings): void {
  const expected = new Map(federatedModelSpec(settings).map((tensor) => [tensor.name, tensor.shape.join('×')]));
  for (const tensor of spec) {
    const shape = expected.get(tensor.name);
    if (shape === undefined) throw new Error(`the round's model has tensor "${tensor.name}", which the settings lack`);
    if (shape !== tensor.shape.join('×'))
      throw new Error(
        `tensor "${tensor.name}" is ${tensor.shape.join('×')} in the round's model, ${shape} by its settings`,
      );
    expected.delete(tensor.name);
  }
  const missing = [...expected.keys()][0];
  if (missing !== undefined) throw new Error(`the round's model lacks tensor "${missing}"`);
}

/** Tokenizer ids → bucket ids in [1, buckets): the same text always gives the same ids, on every site. */
export function hashedTokenIds(
  tokenizer: TextTokenizer,
  text: string,
  settings: FederatedClassifierSettings,
): number[] {
  const { ids } = tokenizer.encode(text, undefined, { maxLength: settings.seqLen, truncation: 'longest_first' });
  return ids.map((id) => 1 + (id % (settings.vocabBuckets - 1)));
}

export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

export function encodeLabelledTexts(
  tokenizer: TextTokenizer,
  texts: readonly LabelledText[],
  settings: FederatedClassifierSettings,
): ClassificationExample[] {
  return texts.map(({ text, label }, index) => {
    const labelIndex = settings.labels.indexOf(label);
    if (labelIndex < 0)
      throw new Error(
        `example ${index + 1} has label "${label}"; the federation's labels are ${settings.labels.join(', ')}`,
      );
    return { ids: hashedTokenIds(tokenizer, text, settings), label: labelIndex };
  });
}

/** Reads a labelled text file (CSV, TSV, JSONL, Parquet) through the engine's readers; any bad row is an error. */
export async function readLabelledTexts(
  file: string,
  columns: { readonly text: string; readonly label: string },
  format?: DataFormat,
): Promise<LabelledText[]> {
  const mapping = { text: columns.text, label: columns.label };
  const { examples, report } = await readExamples(file, classificationTask, { mapping, ...(format ? { format } : {}) });
  assertNoIssues(report);
  return examples.map(({ example }) => ({ text: example.text, label: example.label }));
}

/** Accuracy, macro-F1, MCC and loss of a federated model on labelled examples (forward-only graph). */
export async function evaluateFederatedClassifier(
  parameters: ParameterSet,
  settings: FederatedClassifierSettings,
  examples: readonly ClassificationExample[],
): Promise<Omit<ClassificationEvaluation, 'predictions'>> {
  const batchSize = settings.physicalBatchSize;
  const evaluation = await createClassifierEval(federatedClassifierConfig(settings), batchSize, settings.seqLen);
  const shape = { batchSize, seqLen: settings.seqLen, padId: 0 };
  const { predictions: _predictions, ...metrics } = await evaluateClassifier(
    evaluation,
    parameters,
    evaluationBatches(examples, shape),
    settings.labels.length,
  );
  return metrics;
}
