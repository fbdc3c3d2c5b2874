/**
 * The model a federation trains when its job names none: the n-gram embedding bag over the tokenizer's whole
 * vocabulary (no hashing collisions) with a hashed bigram table. Under DP noise it learns where a from-scratch
 * transformer stays at chance (docs/participant.md has the figures), and a round takes about a second on 2
 * cores. Labels are the job's own; everything else here is a training setting of engine/train/federated-classifier.ts.
 */
import type { TrainingSettings } from './federated-classifier.ts';

export const federatedBagDefaults: TrainingSettings = {
  architecture: 'bag',
  vocabBuckets: 30522,
  bigramBuckets: 16384,
  seqLen: 32,
  dModel: 16,
  optimizer: 'adam',
  learningRate: 0.03,
  physicalBatchSize: 128,
};
