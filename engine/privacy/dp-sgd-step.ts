/**
 * One whole DP-SGD step for the sequence classifier, as the federated round job (engine/train/dp-round-job.ts)
 * runs it: Poisson-sample the dataset at rate q, cut the sample into padded chunks of the graph's batch size,
 * add up each chunk's clipped gradient sums, then add noise and divide by q·n once. The result is the private gradient estimate
 * and the accountant record of the step; the caller applies its optimizer and debits the ledger.
 *
 *   poissonClassifierBatch(examples, { sampleRate, batchSize, seqLen, padId }, source?) → PoissonBatch
 *   createDpSgdStep(config, { batchSize, seqLen, clipNorm, noiseMultiplier, sampleRate, datasetSize }, source?)
 *     → Promise<DpSgdStep>;  step.run(params, poissonBatch) → Promise<DpSgdStepResult>
 */
import { ignoreIndex } from '../nn/classifier.ts';
import type { TransformerClassifierConfig } from '../nn/classifier.ts';
import type { ClassifierBatch } from '../nn/classifier-step.ts';
import type { ParameterSet } from '../tensor/parameter-set.ts';
import { createDpClassifierStep } from './dp-classifier-step.ts';
import { expectedBatchSize, poissonSample, toMaskedChunks } from './poisson-sampling.ts';
import type { MaskedChunk } from './poisson-sampling.ts';
import { privatizeGradientSums } from './noisy-gradient.ts';
import { cryptoRandomSource } from './random-source.ts';
import type { RandomSource } from './random-source.ts';
import type { DpStepRecord } from './step-record.ts';

export interface TokenizedExample {
  readonly ids: readonly number[];
  readonly label: number;
}

export interface PoissonBatch {
  readonly chunks: readonly ClassifierBatch[];
  /** How many records the Poisson sample drew (never sent anywhere: it is data-dependent). */
  readonly sampled: number;
}

export interface PoissonBatchShape {
  readonly sampleRate: number;
  readonly batchSize: number;
  readonly seqLen: number;
  readonly padId: number;
}

/** A chunk's rows: sampled examples, then padding rows labelled ignoreIndex (no loss, no gradient). */
function chunkBatch(
  examples: readonly TokenizedExample[],
  chunk: MaskedChunk,
  shape: PoissonBatchShape,
): ClassifierBatch {
  const { batchSize, seqLen, padId } = shape;
  const inputIds = new BigInt64Array(batchSize * seqLen).fill(BigInt(padId));
  const attentionMask = new Float32Array(batchSize * seqLen);
  const labels = new BigInt64Array(batchSize).fill(BigInt(ignoreIndex));
  for (let row = 0; row < batchSize; row += 1) {
    // Padding rows still get one real token so that every row's pooling is finite.
    const example = chunk.mask[row] === 1 ? examples[chunk.indices[row] as number] : undefined;
    const ids = example?.ids ?? [padId];
    const length = Math.min(seqLen, Math.max(1, ids.length));
    for (let t = 0; t < length; t += 1) {
      inputIds[row * seqLen + t] = BigInt(ids[t] ?? padId);
      attentionMask[row * seqLen + t] = 1;
    }
    if (example) labels[row] = BigInt(example.label);
  }
  return { inputIds, attentionMask, labels };
}

export function poissonClassifierBatch(
  examples: readonly TokenizedExample[],
  shape: PoissonBatchShape,
  source: RandomSource = cryptoRandomSource,
): PoissonBatch {
  const sampled = poissonSample(examples.length, shape.sampleRate, source);
  const chunks = toMaskedChunks(sampled, shape.batchSize).map((chunk) => chunkBatch(examples, chunk, shape));
  return { chunks, sampled: sampled.length };
}

export interface DpSgdOptions {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly clipNorm: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly datasetSize: number;
  /** Which parameters train (default all); the others get no gradient, no noise and no update. */
  readonly trains?: (name: string) => boolean;
}

export interface DpSgdStepResult {
  /** (Σ_i c_i ∇θ_i + N(0, σ²C²I)) / (q·n), by parameter name. */
  readonly gradients: Map<string, Float32Array>;
  /** What the accountant must record for this step. */
  readonly record: DpStepRecord;
}

export interface DpSgdStep {
  run(params: ParameterSet, batch: PoissonBatch): Promise<DpSgdStepResult>;
}

export async function createDpSgdStep(
  config: TransformerClassifierConfig,
  options: DpSgdOptions,
  source: RandomSource = cryptoRandomSource,
): Promise<DpSgdStep> {
  const { batchSize, seqLen, clipNorm, noiseMultiplier, sampleRate, datasetSize, trains } = options;
  const step = await createDpClassifierStep(config, batchSize, seqLen, { clipNorm, ...(trains ? { trains } : {}) });
  return {
    async run(params, batch) {
      if (batch.chunks.length === 0) throw new Error('a DP-SGD step needs at least one (possibly all-padding) chunk');
      let sums: Map<string, Float32Array> | undefined;
      for (const chunk of batch.chunks) {
        const { clippedSums } = await step.run(params, chunk);
        if (!sums) {
          sums = new Map([...clippedSums].map(([name, sum]) => [name, Float32Array.from(sum)]));
          continue;
        }
        for (const [name, sum] of clippedSums) {
          const total = sums.get(name) as Float32Array;
          for (let i = 0; i < total.length; i += 1) total[i] = (total[i] as number) + (sum[i] as number);
        }
      }
      const gradients = sums ?? new Map<string, Float32Array>();
      privatizeGradientSums(
        gradients,
        { noiseMultiplier, clipNorm, expectedBatchSize: expectedBatchSize(datasetSize, sampleRate) },
        source,
      );
      return { gradients, record: { noiseMultiplier, sampleRate, steps: 1 } };
    },
  };
}
