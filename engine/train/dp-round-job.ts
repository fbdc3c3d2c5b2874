/**
 * One federated round's local training, as the worker thread runs it: DP-SGD from the global model on the
 * participant's own file for the round's number of steps, and the update (new − global) as the result.
 * Each step is the sampled Gaussian mechanism the accountant analyses: Poisson sampling at rate q, per-example
 * clipping to C in the graph, noise σC from the OS CSPRNG on every coordinate, division by q·n; then the
 * optimizer (its state starts fresh every round and never leaves). Every step started is counted, including
 * steps whose sampled batch was empty, so the ledger debits exactly what touched the data. The step itself is
 * engine/privacy's DP-SGD step, the one its tests check; this job only loops it and applies the optimizer.
 * Model and update cross the worker boundary as ParameterSets (structured clone carries Maps).
 */
import type { DataFormat } from '../data/readers/read-records.ts';
import { loadTokenizer } from '../data/tokenizer.ts';
import { ignoreIndex } from '../nn/classifier.ts';
import { createClassifierEval } from '../nn/classifier-step.ts';
import type { ClassifierBatch, ClassifierEval } from '../nn/classifier-step.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { createOptimizer } from '../optim/create-optimizer.ts';
import { addProximalGradients } from '../optim/proximal-term.ts';
import { createDpSgdStep, poissonClassifierBatch } from '../privacy/dp-sgd-step.ts';
import type { DpSgdStep, PoissonBatchShape } from '../privacy/dp-sgd-step.ts';
import { expectedBatchSize } from '../privacy/poisson-sampling.ts';
import { resolveExecutionDevice } from '../runtime/execution-providers.ts';
import type { ExecutionDevice } from '../runtime/execution-providers.ts';
import { sessionCache } from '../runtime/session-cache.ts';
import type { JobContext } from '../runtime/worker-protocol.ts';
import { specOf } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import type { ClassificationExample } from './classification-batches.ts';
import {
  assertModelMatchesSettings,
  encodeLabelledTexts,
  federatedClassifierConfig,
  federatedClassifierSettings,
  federatedTokenizerPath,
  readLabelledTexts,
  trainsParameter,
} from './federated-classifier.ts';
import type { FederatedClassifierSettings, TrainingSettings } from './federated-classifier.ts';
import { federatedTrainingTexts } from './federated-held-out.ts';

export interface DpRoundJobSpec {
  readonly dataFile: string;
  readonly format?: DataFormat;
  readonly columns: { readonly text: string; readonly label: string };
  readonly training: TrainingSettings;
  readonly globalModel: ParameterSet;
  readonly dp: { clipNorm: number; noiseMultiplier: number; sampleRate: number; localSteps: number };
  readonly tokenizerPath?: string;
}

export interface DpRoundJobResult {
  readonly cancelled: boolean;
  /** new − global, in the global model's order. */
  readonly update: ParameterSet;
  readonly numExamples: number;
  /** DP-SGD steps taken (each one a use of the sampled Gaussian mechanism). */
  readonly steps: number;
  readonly finalLoss: number | null;
  readonly seconds: number;
  /** Where the steps ran: the worker's device, or the automatic choice when the job runs in-process. */
  readonly device: ExecutionDevice;
}

/** The token id of padding rows (the evaluation pads with the same id). */
const padId = 0;

/** Mean cross-entropy of the real rows of a chunk, from its logits (float64 log-sum-exp). */
function chunkLoss(logits: Float32Array, labels: BigInt64Array, classes: number): number | undefined {
  let sum = 0;
  let count = 0;
  labels.forEach((label, row) => {
    if (label === BigInt(ignoreIndex)) return;
    const values = Array.from(logits.subarray(row * classes, (row + 1) * classes));
    const max = Math.max(...values);
    const logSum = Math.log(values.reduce((total, value) => total + Math.exp(value - max), 0)) + max;
    sum += logSum - (values[Number(label)] as number);
    count += 1;
  });
  return count ? sum / count : undefined;
}

async function loadExamples(spec: DpRoundJobSpec, settings: FederatedClassifierSettings) {
  // The held-out part (engine/train/federated-held-out.ts) is kept for evaluating each round's global model.
  const texts = federatedTrainingTexts(await readLabelledTexts(spec.dataFile, spec.columns, spec.format));
  const tokenizer = loadTokenizer(spec.tokenizerPath ?? federatedTokenizerPath);
  const examples = encodeLabelledTexts(tokenizer, texts, settings);
  if (examples.length === 0) throw new Error(`${spec.dataFile}: no examples to train on`);
  return examples;
}

function copyModel(model: ParameterSet): Map<string, Float32Tensor> {
  return new Map(
    [...model].map(([name, { shape, data }]) => [name, { shape: [...shape], data: Float32Array.from(data) }]),
  );
}

interface StepParts {
  readonly dpStep: DpSgdStep;
  readonly forward: ClassifierEval;
  readonly optimizer: Optimizer;
  readonly batchShape: PoissonBatchShape;
  readonly classes: number;
  readonly learningRate: number;
  readonly proximalMu: number;
  /** The round's starting weights, which FedProx's proximal term pulls towards. */
  readonly globalModel: ParameterSet;
}

/** One DP-SGD step in place on `parameters`; returns the loss of its first chunk before the update (local only). */
async function privateStep(
  parts: StepParts,
  examples: readonly ClassificationExample[],
  parameters: ParameterSet,
): Promise<number | undefined> {
  const batch = poissonClassifierBatch(examples, parts.batchShape);
  const { gradients } = await parts.dpStep.run(parameters, batch);
  // The proximal gradient depends on the weights only, not on any record: added after clipping and noise,
  // it is post-processing and costs no privacy.
  addProximalGradients(gradients, parameters, parts.globalModel, parts.proximalMu);
  const first = batch.chunks[0] as ClassifierBatch;
  const loss = chunkLoss(await parts.forward.run(parameters, first), first.labels, parts.classes);
  parts.optimizer.step(parameters, gradients, parts.learningRate);
  return loss;
}

async function createStepParts(spec: DpRoundJobSpec, settings: FederatedClassifierSettings, datasetSize: number) {
  const config = federatedClassifierConfig(settings);
  const batchSize = settings.physicalBatchSize;
  const { clipNorm, noiseMultiplier, sampleRate } = spec.dp;
  const trains = (name: string) => trainsParameter(settings, name);
  const stepOptions = {
    batchSize,
    seqLen: settings.seqLen,
    clipNorm,
    noiseMultiplier,
    sampleRate,
    datasetSize,
    trains,
  };
  return {
    dpStep: await createDpSgdStep(config, stepOptions),
    forward: await createClassifierEval(config, batchSize, settings.seqLen),
    optimizer: createOptimizer({ algorithm: settings.optimizer }),
    batchShape: { sampleRate, batchSize, seqLen: settings.seqLen, padId },
    classes: settings.labels.length,
    learningRate: settings.learningRate,
    proximalMu: settings.proximalMu,
    globalModel: spec.globalModel,
  };
}

function updateOf(trained: ParameterSet, global: ParameterSet): Map<string, Float32Tensor> {
  return new Map(
    [...global].map(([name, { shape, data }]) => {
      const values = (trained.get(name) as Float32Tensor).data;
      return [name, { shape: [...shape], data: values.map((value, i) => value - (data[i] as number)) }];
    }),
  );
}

export async function runDpRoundJob(spec: DpRoundJobSpec, context: JobContext): Promise<DpRoundJobResult> {
  const started = performance.now();
  const settings = federatedClassifierSettings(spec.training);
  assertModelMatchesSettings(specOf(spec.globalModel), settings);
  const { sampleRate, localSteps } = spec.dp;
  const examples = await loadExamples(spec, settings);
  const parts = await createStepParts(spec, settings, examples.length);
  const parameters: ParameterSet = copyModel(spec.globalModel);
  const expected = expectedBatchSize(examples.length, sampleRate);
  let steps = 0;
  let finalLoss: number | null = null;
  while (steps < localSteps && !context.control.isCancelled) {
    await context.control.waitWhilePaused();
    if (context.control.isCancelled) break;
    const loss = await privateStep(parts, examples, parameters);
    steps += 1;
    if (loss !== undefined) finalLoss = loss;
    const elapsedSeconds = (performance.now() - started) / 1000;
    context.reportProgress({
      step: steps,
      totalSteps: localSteps,
      epoch: 0,
      loss: loss ?? finalLoss ?? Number.NaN,
      learningRate: settings.learningRate,
      gradientNorm: 0,
      examplesPerSecond: (steps * expected) / Math.max(elapsedSeconds, 1e-9),
      elapsedSeconds,
      etaSeconds: (elapsedSeconds / steps) * (localSteps - steps),
    });
  }
  const update = updateOf(parameters, spec.globalModel);
  const seconds = (performance.now() - started) / 1000;
  const device = sessionCache.device ?? resolveExecutionDevice('auto');
  return {
    cancelled: context.control.isCancelled,
    update,
    numExamples: examples.length,
    steps,
    finalLoss,
    seconds,
    device,
  };
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts). */
export const runJob = runDpRoundJob;
