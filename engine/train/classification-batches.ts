/**
 * Fixed-shape batches for a sequence classifier: the training graph has a static [batchSize, seqLen] input,
 * so sequences are cut or padded to seqLen, and a training epoch drops its last partial batch (a seeded
 * reshuffle every epoch still shows every example). Evaluation batches are padded with copies of a real
 * row instead, whose predictions the caller ignores (`count` says how many rows are real).
 */
import { SeededRandom } from '../random/seeded-random.ts';

export interface ClassificationExample {
  readonly ids: readonly number[];
  readonly label: number;
}

export interface ClassificationBatch {
  inputIds: BigInt64Array;
  attentionMask: Float32Array;
  labels: BigInt64Array;
  /** Real examples in this batch; rows past it are padding. */
  count: number;
}

export interface BatchShape {
  batchSize: number;
  seqLen: number;
  padId: number;
}

function fillBatch(examples: readonly ClassificationExample[], rows: readonly number[], shape: BatchShape) {
  const { batchSize, seqLen, padId } = shape;
  const batch: ClassificationBatch = {
    inputIds: new BigInt64Array(batchSize * seqLen).fill(BigInt(padId)),
    attentionMask: new Float32Array(batchSize * seqLen),
    labels: new BigInt64Array(batchSize),
    count: rows.length,
  };
  for (let row = 0; row < batchSize; row++) {
    const example = examples[rows[row] ?? rows[0]!]!;
    const length = Math.min(seqLen, Math.max(1, example.ids.length));
    for (let position = 0; position < length; position++) {
      batch.inputIds[row * seqLen + position] = BigInt(example.ids[position] ?? padId);
      batch.attentionMask[row * seqLen + position] = 1;
    }
    batch.labels[row] = BigInt(example.label);
  }
  return batch;
}

/** One training epoch: a seeded shuffle (seed and epoch decide it), full batches only. */
export function* trainingBatches(
  examples: readonly ClassificationExample[],
  shape: BatchShape,
  seed: number,
  epoch: number,
): Generator<ClassificationBatch> {
  const order = new SeededRandom((seed * 7919 + epoch * 104729) >>> 0).permutation(examples.length);
  for (let start = 0; start + shape.batchSize <= order.length; start += shape.batchSize) {
    yield fillBatch(examples, order.slice(start, start + shape.batchSize), shape);
  }
}

/** Every example once, in order; the last batch is padded. */
export function* evaluationBatches(
  examples: readonly ClassificationExample[],
  shape: BatchShape,
): Generator<ClassificationBatch> {
  for (let start = 0; start < examples.length; start += shape.batchSize) {
    const rows = Array.from({ length: Math.min(shape.batchSize, examples.length - start) }, (_, i) => start + i);
    yield fillBatch(examples, rows, shape);
  }
}
