/**
 * Fixed-shape batches for a sequence classifier: the training graph has a static [batchSize, seqLen] input,
 * so sequences are cut or padded to seqLen, and a training epoch drops its last partial batch (a seeded
 * reshuffle every epoch still shows every example). Evaluation batches are padded with copies of a real
 * row instead, whose predictions the caller ignores (`count` says how many rows are real).
 */
import { seededRandom, shuffledIndices } from './seeded-random.ts';

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
  const order = shuffledIndices(examples.length, seededRandom((seed * 7919 + epoch * 104729) >>> 0));
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

/** A seeded split into training and held-out examples; the held-out share is taken from each class. */
export function splitExamples<T extends { label: number }>(
  examples: readonly T[],
  heldOutFraction: number,
  seed: number,
): { train: T[]; heldOut: T[] } {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
    throw new Error(`held-out fraction must be between 0 and 1, got ${heldOutFraction}`);
  }
  const train: T[] = [];
  const heldOut: T[] = [];
  const labels = [...new Set(examples.map((example) => example.label))].sort((a, b) => a - b);
  for (const label of labels) {
    const members = examples.filter((example) => example.label === label);
    const order = shuffledIndices(members.length, seededRandom((seed * 31 + label * 977 + 1) >>> 0));
    const cut = Math.round(members.length * heldOutFraction);
    order.forEach((index, rank) => (rank < cut ? heldOut : train).push(members[index]!));
  }
  const shuffle = (list: T[]) => shuffledIndices(list.length, seededRandom(seed ^ 0x5bd1e995)).map((i) => list[i]!);
  return { train: shuffle(train), heldOut: shuffle(heldOut) };
}
