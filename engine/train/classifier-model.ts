/**
 * The transformer classifier of engine/nn as the trainer sees it: seeded initial parameters, a training step
 * (loss and gradients) and a forward-only pass (logits). Dropout masks take a fresh seed per step, derived from
 * the run's seed and the step's index, so a rerun with the same seed draws the same masks.
 */
import { createClassifierEval, createClassifierStep } from '../nn/classifier-step.ts';
import { initializeClassifierParameters } from '../nn/classifier.ts';
import type { TransformerClassifierConfig } from '../nn/classifier.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';
import type { ClassificationBatch } from './classification-batches.ts';
import type { ClassifierForward } from './evaluate.ts';
import type { TrainingStep } from './training-loop.ts';

export interface ClassifierShape {
  vocabSize: number;
  seqLen: number;
  classes: number;
  layers: number;
  dModel: number;
  heads: number;
  ff: number;
  dropout: number;
}

export interface ClassifierModel {
  parameters: Map<string, Float32Tensor>;
  step: TrainingStep<ClassificationBatch>;
  forward: ClassifierForward;
}

export function transformerConfigOf(shape: ClassifierShape): TransformerClassifierConfig {
  return {
    vocabSize: shape.vocabSize,
    maxSequenceLength: shape.seqLen,
    dModel: shape.dModel,
    heads: shape.heads,
    layers: shape.layers,
    ffDim: shape.ff,
    dropout: shape.dropout,
    numClasses: shape.classes,
    pooling: 'mean',
  };
}

export async function createClassifierModel(
  shape: ClassifierShape,
  batchSize: number,
  seed: number,
): Promise<ClassifierModel> {
  const config = transformerConfigOf(shape);
  const trainStep = await createClassifierStep(config, batchSize, shape.seqLen);
  const evaluation = await createClassifierEval(config, batchSize, shape.seqLen);
  let steps = 0;
  return {
    parameters: initializeClassifierParameters(config, seed),
    step: {
      run: (parameters, batch) => {
        steps += 1;
        return trainStep.run(parameters, batch, (Math.imul(seed + 1, 0x9e3779b1) + steps) >>> 0);
      },
    },
    forward: { run: (parameters, batch) => evaluation.run(parameters, batch) },
  };
}
