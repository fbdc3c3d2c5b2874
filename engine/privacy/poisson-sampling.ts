/**
 * Poisson sampling for DP-SGD: every record joins a step's batch independently with probability q
 * (the sample rate), so the batch size is Binomial(n, q) and varies from step to step. This is the
 * sampling the accountant's analysis assumes (Mironov, Talwar, Zhang 2019); fixed-size batches from a
 * shuffle are a different mechanism that the accountant does not cover, so they are never substituted.
 *
 * The training graph has a fixed batch shape, so a sampled batch is cut into chunks of that physical
 * size; the last one is padded and a mask marks which rows are real. Every chunk's clipped sums add
 * up to the step's sum. An empty batch is still a step: it yields one all-padding chunk, and the
 * update is then noise alone — skipping it would reveal that nothing was sampled.
 */
import { cryptoRandomSource, uniformDoubles } from './random-source.ts';
import type { RandomSource } from './random-source.ts';

/** Indices (ascending) of the records that join this step. */
export function poissonSample(
  datasetSize: number,
  sampleRate: number,
  source: RandomSource = cryptoRandomSource,
): Int32Array {
  if (!Number.isSafeInteger(datasetSize) || datasetSize < 0) {
    throw new RangeError(`datasetSize must be a non-negative integer (got ${datasetSize})`);
  }
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError(`sampleRate must be in (0, 1] (got ${sampleRate})`);
  const chosen: number[] = [];
  const chunk = 1 << 16; // bounded memory for datasets of millions of records
  for (let offset = 0; offset < datasetSize; offset += chunk) {
    const draws = uniformDoubles(Math.min(chunk, datasetSize - offset), source);
    for (let i = 0; i < draws.length; i += 1) if ((draws[i] as number) < sampleRate) chosen.push(offset + i);
  }
  return Int32Array.from(chosen);
}

export interface MaskedChunk {
  /** Record index per row; padding rows repeat index 0 (their mask is 0, so they contribute nothing). */
  readonly indices: Int32Array;
  /** 1 for a sampled record, 0 for padding. */
  readonly mask: Float32Array;
}

/** Cuts a sampled batch into fixed-size chunks, the last one padded; always at least one chunk. */
export function toMaskedChunks(sampled: Int32Array, physicalBatchSize: number): MaskedChunk[] {
  if (!Number.isSafeInteger(physicalBatchSize) || physicalBatchSize < 1) {
    throw new RangeError(`physicalBatchSize must be a positive integer (got ${physicalBatchSize})`);
  }
  const chunkCount = Math.max(1, Math.ceil(sampled.length / physicalBatchSize));
  return Array.from({ length: chunkCount }, (_, chunk) => {
    const rows = sampled.subarray(chunk * physicalBatchSize, (chunk + 1) * physicalBatchSize);
    const indices = new Int32Array(physicalBatchSize);
    const mask = new Float32Array(physicalBatchSize);
    indices.set(rows);
    mask.fill(1, 0, rows.length);
    return { indices, mask };
  });
}

/**
 * DP-SGD divides the noisy sum by the expected batch size q·n, not by the sampled size: the sampled
 * size depends on the data and would itself need protecting (as Opacus does for Poisson batches).
 */
export function expectedBatchSize(datasetSize: number, sampleRate: number): number {
  return datasetSize * sampleRate;
}
