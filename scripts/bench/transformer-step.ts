/** The benchmark's transformer classifier: engine/nn's training step with a fixed random batch. */
import { createClassifierStep } from '../../engine/nn/classifier-step.ts';
import type { ClassifierBatch } from '../../engine/nn/classifier-step.ts';
import { initializeClassifierParameters } from '../../engine/nn/classifier.ts';
import type { Float32Tensor } from '../../engine/tensor/parameter-set.ts';
import { SeededRandom } from '../../engine/random/seeded-random.ts';
import type { TrainingStep } from '../../engine/train/training-loop.ts';

export interface TransformerConfig {
  vocab: number;
  d_model: number;
  heads: number;
  ff: number;
  seq_len: number;
  batch: number;
  classes: number;
  layers: number;
}

export interface TransformerBench {
  step: TrainingStep<ClassifierBatch>;
  parameters: Map<string, Float32Tensor>;
  makeBatch: () => ClassifierBatch;
}

export async function createTransformerBench(config: TransformerConfig): Promise<TransformerBench> {
  const classifier = {
    vocabSize: config.vocab,
    maxSequenceLength: config.seq_len,
    dModel: config.d_model,
    heads: config.heads,
    layers: config.layers,
    ffDim: config.ff,
    numClasses: config.classes,
    pooling: 'mean' as const,
  };
  const step = await createClassifierStep(classifier, config.batch, config.seq_len);
  const random = new SeededRandom(11);
  const tokens = config.batch * config.seq_len;
  // Batching is host work, so each step builds its batch as the trainer would.
  const makeBatch = (): ClassifierBatch => ({
    inputIds: BigInt64Array.from({ length: tokens }, () => BigInt(random.integer(config.vocab))),
    attentionMask: new Float32Array(tokens).fill(1),
    labels: BigInt64Array.from({ length: config.batch }, (_, i) => BigInt(i % config.classes)),
  });
  return { step, parameters: initializeClassifierParameters(classifier, 1), makeBatch };
}
