/**
 * Model-ready features of every task and the fixed-shape batches built from them. A feature holds token ids (the
 * compact vocabulary's once the job has mapped them) and the target its head needs: a class, an answer span (start
 * and end token positions, 0 = the CLS position for "no answer"), or a target mask over the tokens (causal LM:
 * position t predicts token t + 1 when t + 1 is a target). Batches are cut or padded to [batchSize, seqLen];
 * a training epoch is a seeded shuffle of full batches, evaluation pads its last batch with copies of a real row.
 */
import type { HostTensor } from '../runtime/session.ts';
import type { TaskHead } from '../nn/task-model.ts';
import { ignoreIndex } from '../nn/classifier.ts';
import { SeededRandom } from '../random/seeded-random.ts';

export interface TaskFeature {
  ids: number[];
  label?: number;
  span?: [start: number, end: number];
  targetMask?: number[];
}

export interface TaskBatch {
  feeds: Record<string, HostTensor>;
  /** Real rows; rows past it repeat a real one and are ignored. */
  count: number;
  /** Feature indices of the real rows. */
  rows: number[];
}

export interface BatchGeometry {
  batchSize: number;
  seqLen: number;
  padId: number;
}

function labelFeeds(
  head: TaskHead,
  features: readonly TaskFeature[],
  rows: readonly number[],
  g: BatchGeometry,
): Record<string, HostTensor> {
  const { batchSize, seqLen } = g;
  const feature = (row: number) => features[rows[row] ?? rows[0]!]!;
  if (head.kind === 'classification') {
    const labels = BigInt64Array.from({ length: batchSize }, (_, row) => BigInt(feature(row).label ?? 0));
    return { labels: { data: labels, shape: [batchSize] } };
  }
  if (head.kind === 'span') {
    const at = (row: number, i: 0 | 1) => {
      const position = feature(row).span?.[i] ?? 0;
      return BigInt(position < seqLen ? position : 0);
    };
    return {
      start_positions: { data: BigInt64Array.from({ length: batchSize }, (_, r) => at(r, 0)), shape: [batchSize] },
      end_positions: { data: BigInt64Array.from({ length: batchSize }, (_, r) => at(r, 1)), shape: [batchSize] },
    };
  }
  const labels = new BigInt64Array(batchSize * seqLen).fill(BigInt(ignoreIndex));
  for (let row = 0; row < batchSize; row += 1) {
    const { ids, targetMask = [] } = feature(row);
    for (let t = 0; t + 1 < Math.min(ids.length, seqLen); t += 1) {
      if (targetMask[t + 1]) labels[row * seqLen + t] = BigInt(ids[t + 1]!);
    }
  }
  return { labels: { data: labels, shape: [batchSize * seqLen] } };
}

export function taskBatch(
  head: TaskHead,
  features: readonly TaskFeature[],
  rows: readonly number[],
  g: BatchGeometry,
): TaskBatch {
  const { batchSize, seqLen, padId } = g;
  const inputIds = new BigInt64Array(batchSize * seqLen).fill(BigInt(padId));
  const attentionMask = new Float32Array(batchSize * seqLen);
  for (let row = 0; row < batchSize; row += 1) {
    const { ids } = features[rows[row] ?? rows[0]!]!;
    for (let t = 0; t < Math.min(ids.length, seqLen); t += 1) {
      inputIds[row * seqLen + t] = BigInt(ids[t]!);
      attentionMask[row * seqLen + t] = 1;
    }
  }
  const feeds: Record<string, HostTensor> = {
    input_ids: { data: inputIds, shape: [batchSize, seqLen] },
    attention_mask: { data: attentionMask, shape: [batchSize, seqLen] },
    ...labelFeeds(head, features, rows, g),
  };
  return { feeds, count: rows.length, rows: [...rows] };
}

/** One epoch of full batches in a seeded order (seed and epoch decide it). */
export function* shuffledTaskBatches(
  head: TaskHead,
  features: readonly TaskFeature[],
  g: BatchGeometry,
  seed: number,
  epoch: number,
): Generator<TaskBatch> {
  const order = new SeededRandom((seed * 7919 + epoch * 104729) >>> 0).permutation(features.length);
  for (let start = 0; start + g.batchSize <= order.length; start += g.batchSize) {
    yield taskBatch(head, features, order.slice(start, start + g.batchSize), g);
  }
}

/** Every feature once, in order; the last batch padded. */
export function* orderedTaskBatches(
  head: TaskHead,
  features: readonly TaskFeature[],
  g: BatchGeometry,
): Generator<TaskBatch> {
  for (let start = 0; start < features.length; start += g.batchSize) {
    const rows = Array.from({ length: Math.min(g.batchSize, features.length - start) }, (_, i) => start + i);
    yield taskBatch(head, features, rows, g);
  }
}
