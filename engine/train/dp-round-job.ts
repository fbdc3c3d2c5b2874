/**
 * One federated round's local training, as the worker thread runs it: DP-SGD from the global model on the
 * participant's own file for the round's number of steps, and the update (new − global) as the result.
 * Each step is the sampled Gaussian mechanism the accountant analyses: Poisson sampling at rate q, per-example
 * clipping to C in the graph, noise σC from the OS CSPRNG on every coordinate, division by q·n; then the
 * optimizer (its state starts fresh every round and never leaves). Every step started is counted, including
 * steps whose sampled batch was empty, so the ledger debits exactly what touched the data.
 */
import type { DataFormat } from '../data/readers/read-records.ts';
import { loadTokenizer } from '../data/tokenizer.ts';
import { ignoreIndex } from '../nn/classifier.ts';
import { createClassifierEval } from '../nn/classifier-step.ts';
import type { ClassifierEval } from '../nn/classifier-step.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { createOptimizer } from '../optim/create-optimizer.ts';
import { createDpClassifierStep } from '../privacy/dp-classifier-step.ts';
import type { DpClassifierStep } from '../privacy/dp-classifier-step.ts';
import { privatizeGradientSums } from '../privacy/noisy-gradient.ts';
import { expectedBatchSize, poissonSample, toMaskedChunks } from '../privacy/poisson-sampling.ts';
import type { MaskedChunk } from '../privacy/poisson-sampling.ts';
import type { JobContext } from '../runtime/worker-protocol.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import type { ClassificationExample } from './classification-batches.ts';
import {
  assertModelMatchesSettings,
  encodeLabelledTexts,
  federatedClassifierConfig,
  federatedClassifierSettings,
  federatedTokenizerPath,
  readLabelledTexts,
} from './federated-classifier.ts';
import type { FederatedClassifierSettings, TrainingSettings } from './federated-classifier.ts';

export interface DpRoundJobSpec {
  readonly dataFile: string;
  readonly format?: DataFormat;
  readonly columns: { readonly text: string; readonly label: string };
  readonly training: TrainingSettings;
  readonly globalModel: readonly { name: string; shape: number[]; data: Float32Array }[];
  readonly dp: { clipNorm: number; noiseMultiplier: number; sampleRate: number; localSteps: number };
  readonly tokenizerPath?: string;
}

export interface DpRoundJobResult {
  readonly cancelled: boolean;
  readonly update: { name: string; shape: number[]; data: Float32Array }[];
  readonly numExamples: number;
  /** DP-SGD steps taken (each one a use of the sampled Gaussian mechanism). */
  readonly steps: number;
  readonly finalLoss: number | null;
  readonly seconds: number;
}

function maskedBatch(examples: readonly ClassificationExample[], chunk: MaskedChunk, seqLen: number) {
  const rows = chunk.indices.length;
  const batch = {
    inputIds: new BigInt64Array(rows * seqLen),
    attentionMask: new Float32Array(rows * seqLen),
    labels: new BigInt64Array(rows).fill(BigInt(ignoreIndex)),
  };
  for (let row = 0; row < rows; row += 1) {
    const example = examples[chunk.indices[row] as number] as ClassificationExample;
    const length = Math.min(seqLen, example.ids.length);
    for (let t = 0; t < length; t += 1) {
      batch.inputIds[row * seqLen + t] = BigInt(example.ids[t] as number);
      batch.attentionMask[row * seqLen + t] = 1;
    }
    if (chunk.mask[row] === 1) batch.labels[row] = BigInt(example.label);
  }
  return batch;
}

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
  const texts = await readLabelledTexts(spec.dataFile, spec.columns, spec.format);
  const tokenizer = loadTokenizer(spec.tokenizerPath ?? federatedTokenizerPath);
  const examples = encodeLabelledTexts(tokenizer, texts, settings);
  if (examples.length === 0) throw new Error(`${spec.dataFile}: no examples to train on`);
  return examples;
}

function copyModel(model: DpRoundJobSpec['globalModel']): Map<string, Float32Tensor> {
  return new Map(model.map(({ name, shape, data }) => [name, { shape: [...shape], data: Float32Array.from(data) }]));
}

interface StepParts {
  readonly dpStep: DpClassifierStep;
  readonly forward: ClassifierEval;
  readonly optimizer: Optimizer;
}

/** One DP-SGD step in place on `parameters`; returns the loss of its first chunk before the update (local only). */
async function privateStep(
  parts: StepParts,
  examples: readonly ClassificationExample[],
  settings: FederatedClassifierSettings,
  dp: DpRoundJobSpec['dp'],
  parameters: ParameterSet,
): Promise<number | undefined> {
  const chunks = toMaskedChunks(poissonSample(examples.length, dp.sampleRate), settings.physicalBatchSize);
  let sums: Map<string, Float32Array> | undefined;
  for (const chunk of chunks) {
    const { clippedSums } = await parts.dpStep.run(parameters, maskedBatch(examples, chunk, settings.seqLen));
    if (!sums) sums = clippedSums;
    else
      for (const [name, sum] of clippedSums) {
        const total = sums.get(name) as Float32Array;
        for (let i = 0; i < total.length; i += 1) total[i] = (total[i] as number) + (sum[i] as number);
      }
  }
  const first = maskedBatch(examples, chunks[0] as MaskedChunk, settings.seqLen);
  const loss = chunkLoss(await parts.forward.run(parameters, first), first.labels, settings.labels.length);
  const gradient = sums as Map<string, Float32Array>;
  privatizeGradientSums(gradient, {
    noiseMultiplier: dp.noiseMultiplier,
    clipNorm: dp.clipNorm,
    expectedBatchSize: expectedBatchSize(examples.length, dp.sampleRate),
  });
  parts.optimizer.step(parameters, gradient, settings.learningRate);
  return loss;
}

export async function runDpRoundJob(spec: DpRoundJobSpec, context: JobContext): Promise<DpRoundJobResult> {
  const started = performance.now();
  const settings = federatedClassifierSettings(spec.training);
  assertModelMatchesSettings(spec.globalModel, settings);
  const { clipNorm, sampleRate, localSteps } = spec.dp;
  const examples = await loadExamples(spec, settings);
  const config = federatedClassifierConfig(settings);
  const batchSize = settings.physicalBatchSize;
  const dpStep = await createDpClassifierStep(config, batchSize, settings.seqLen, { clipNorm });
  const forward = await createClassifierEval(config, batchSize, settings.seqLen);
  const parameters: ParameterSet = copyModel(spec.globalModel);
  const parts = { dpStep, forward, optimizer: createOptimizer({ algorithm: settings.optimizer }) };
  const expected = expectedBatchSize(examples.length, sampleRate);
  let steps = 0;
  let finalLoss: number | null = null;
  while (steps < localSteps && !context.control.isCancelled) {
    await context.control.waitWhilePaused();
    if (context.control.isCancelled) break;
    const loss = await privateStep(parts, examples, settings, spec.dp, parameters);
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
  const update = spec.globalModel.map(({ name, shape, data }) => {
    const trained = (parameters.get(name) as Float32Tensor).data;
    return { name, shape: [...shape], data: trained.map((value, i) => value - (data[i] as number)) };
  });
  const seconds = (performance.now() - started) / 1000;
  return { cancelled: context.control.isCancelled, update, numExamples: examples.length, steps, finalLoss, seconds };
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts). */
export const runJob = runDpRoundJob;
