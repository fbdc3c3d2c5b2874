/**
 * A whole text-classification training run, as `accord train` and the worker thread run it: data preparation,
 * a transformer classifier, the loop with the chosen optimizer and schedule, held-out evaluation with the
 * forward-only graph, and a safetensors checkpoint. For a given seed and thread count on one machine the run
 * is bit-for-bit reproducible: initialization, data order and dropout masks all derive from the seed.
 */
import { fileURLToPath } from 'node:url';
import { createOptimizer } from '../optim/create-optimizer.ts';
import type { OptimizerAlgorithm } from '../optim/create-optimizer.ts';
import { createSchedule } from '../optim/schedule.ts';
import type { ScheduleKind } from '../optim/schedule.ts';
import { saveCheckpoint } from './checkpoint.ts';
import { evaluationBatches, trainingBatches } from './classification-batches.ts';
import type { BatchShape } from './classification-batches.ts';
import { prepareClassificationData } from './classification-data.ts';
import type { ClassificationData } from './classification-data.ts';
import { createClassifierModel } from './classifier-model.ts';
import type { ClassifierModel, ClassifierShape } from './classifier-model.ts';
import { paddingId } from './compact-vocabulary.ts';
import { evaluateClassifier } from './evaluate.ts';
import type { ClassificationEvaluation } from './evaluate.ts';
import type { TrainingControl } from '../runtime/training-control.ts';
import { runTrainingLoop } from './training-loop.ts';
import type { TrainingOutcome } from './training-loop.ts';
import type { TrainingProgress } from '../runtime/training-progress.ts';

export interface ClassificationJobSpec {
  dataFiles: string[];
  textColumn: string;
  labelColumn: string;
  epochs: number;
  batchSize: number;
  seqLen: number;
  learningRate: number;
  seed: number;
  optimizer: OptimizerAlgorithm;
  schedule: ScheduleKind;
  warmupFraction: number;
  weightDecay: number;
  maxGradientNorm: number;
  model: Pick<ClassifierShape, 'layers' | 'dModel' | 'heads' | 'ff' | 'dropout'>;
  validationFraction: number;
  tokenizerPath: string;
  minTokenCount: number;
  /** Where to write the checkpoint (safetensors); none when absent. */
  out?: string;
  saveOptimizerState?: boolean;
}

export interface ClassificationJobResult {
  task: 'classification';
  cancelled: boolean;
  seed: number;
  labels: string[];
  trainExamples: number;
  heldOutExamples: number;
  vocabularySize: number;
  parameterCount: number;
  steps: number;
  epochs: number;
  finalTrainLoss: number | null;
  heldOut: Omit<ClassificationEvaluation, 'predictions'> | null;
  seconds: number;
  examplesPerSecond: number;
  checkpoint: string | null;
}

export interface ClassificationJobContext {
  readonly control?: TrainingControl;
  reportProgress?(progress: TrainingProgress): void;
}

export const defaultTokenizerPath = fileURLToPath(
  new URL('../../resources/tokenizers/bert-base-uncased/tokenizer.json', import.meta.url),
);

export const defaultClassificationSpec: Omit<ClassificationJobSpec, 'dataFiles' | 'textColumn' | 'labelColumn'> = {
  epochs: 8,
  batchSize: 32,
  seqLen: 48,
  learningRate: 1e-3,
  seed: 0,
  optimizer: 'adamw',
  schedule: 'linear',
  warmupFraction: 0.1,
  weightDecay: 0.01,
  maxGradientNorm: 1,
  model: { layers: 2, dModel: 64, heads: 4, ff: 128, dropout: 0.1 },
  validationFraction: 0.2,
  tokenizerPath: defaultTokenizerPath,
  minTokenCount: 1,
};

function checkSpec(spec: ClassificationJobSpec): void {
  const positive: Array<[string, number]> = [
    ['epochs', spec.epochs],
    ['batchSize', spec.batchSize],
    ['seqLen', spec.seqLen],
  ];
  for (const [name, value] of positive) {
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  if (!(spec.learningRate > 0)) throw new Error(`learning rate must be above 0, got ${spec.learningRate}`);
  if (!Number.isInteger(spec.seed) || spec.seed < 0) throw new Error(`seed must be an integer ≥ 0, got ${spec.seed}`);
}

async function train(
  spec: ClassificationJobSpec,
  data: ClassificationData,
  model: ClassifierModel,
  context: ClassificationJobContext,
) {
  const shape: BatchShape = { batchSize: spec.batchSize, seqLen: spec.seqLen, padId: paddingId };
  const perEpoch = Math.floor(data.train.length / spec.batchSize);
  if (perEpoch === 0)
    throw new Error(`${data.train.length} training examples do not fill one batch of ${spec.batchSize}`);
  const totalSteps = perEpoch * spec.epochs;
  const warmupSteps = Math.min(totalSteps - 1, Math.round(totalSteps * spec.warmupFraction));
  const optimizer = createOptimizer({ algorithm: spec.optimizer, weightDecay: spec.weightDecay || undefined });
  const outcome = await runTrainingLoop({
    parameters: model.parameters,
    step: model.step,
    optimizer,
    schedule: createSchedule({ kind: spec.schedule, peakRate: spec.learningRate, warmupSteps, totalSteps }),
    epochBatches: (epoch) => trainingBatches(data.train, shape, spec.seed, epoch),
    examplesIn: (batch) => batch.count,
    epochs: spec.epochs,
    totalSteps,
    maxGradientNorm: spec.maxGradientNorm || undefined,
    control: context.control,
    onProgress: context.reportProgress,
  });
  return { outcome, optimizer, shape };
}

function summarize(
  spec: ClassificationJobSpec,
  data: ClassificationData,
  model: ClassifierModel,
  outcome: TrainingOutcome,
  heldOut: ClassificationEvaluation | null,
): ClassificationJobResult {
  const parameterCount = [...model.parameters.values()].reduce((sum, value) => sum + value.data.length, 0);
  const { predictions: _predictions, ...metrics } = heldOut ?? { predictions: [] };
  return {
    task: 'classification',
    cancelled: outcome.cancelled,
    seed: spec.seed,
    labels: data.labels,
    trainExamples: data.train.length,
    heldOutExamples: data.heldOut.length,
    vocabularySize: data.vocabulary.size,
    parameterCount,
    steps: outcome.updates,
    epochs: spec.epochs,
    finalTrainLoss: outcome.losses.at(-1) ?? null,
    heldOut: heldOut ? (metrics as Omit<ClassificationEvaluation, 'predictions'>) : null,
    seconds: outcome.seconds,
    examplesPerSecond: outcome.examples / Math.max(outcome.seconds, 1e-9),
    checkpoint: heldOut && spec.out ? spec.out : null,
  };
}

export async function runClassificationJob(
  spec: ClassificationJobSpec,
  context: ClassificationJobContext = {},
): Promise<ClassificationJobResult> {
  checkSpec(spec);
  const data = await prepareClassificationData({ ...spec, files: spec.dataFiles });
  const shape: ClassifierShape = {
    ...spec.model,
    vocabSize: data.vocabulary.size,
    seqLen: spec.seqLen,
    classes: data.labels.length,
  };
  const model = await createClassifierModel(shape, spec.batchSize, spec.seed);
  const { outcome, optimizer, shape: batchShape } = await train(spec, data, model, context);
  if (outcome.cancelled) return summarize(spec, data, model, outcome, null);
  const heldOut = await evaluateClassifier(
    model.forward,
    model.parameters,
    evaluationBatches(data.heldOut, batchShape),
    data.labels.length,
  );
  if (spec.out) {
    const metadata = {
      'accord.task': 'classification',
      'accord.model': JSON.stringify(shape),
      'accord.labels': JSON.stringify(data.labels),
      'accord.vocabulary': JSON.stringify(data.vocabulary.tokenizerIds),
      'accord.seed': String(spec.seed),
      'accord.steps': String(outcome.updates),
      'accord.heldOutAccuracy': String(heldOut.accuracy),
    };
    const optimizerState = spec.saveOptimizerState ? optimizer.exportState() : undefined;
    saveCheckpoint(spec.out, { parameters: model.parameters, optimizer: optimizerState, metadata });
  }
  return summarize(spec, data, model, outcome, heldOut);
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts). */
export const runJob = runClassificationJob;
