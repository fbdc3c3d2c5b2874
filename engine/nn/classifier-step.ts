/**
 * Training step and evaluation for the sequence classifier, each one onnxruntime session (cached by model hash)
 * per config, batch size and sequence length. Parameters are graph inputs, so every step reuses the session.
 *
 *   createClassifierStep(config: TransformerClassifierConfig, batchSize: number, seqLen: number)
 *     → Promise<ClassifierStep>
 *   step.run(params: ParameterSet, batch: ClassifierBatch, dropoutSeed = 0)
 *     → Promise<{ loss: number; gradients: Map<string, Float32Array> }>
 *     loss: mean softmax cross-entropy over labels ≠ ignoreIndex (-100), 0 if all are ignored;
 *     gradients: one dense Float32Array per parameter, in the order of step.parameterSpecs (the token
 *     embedding's row gradients already scattered on the host).
 *     dropoutSeed picks the dropout masks when config.dropout > 0 (use a different seed per step).
 *   createClassifierEval(config, batchSize, seqLen) → Promise<ClassifierEval>
 *   eval.run(params, { inputIds, attentionMask }) → Promise<Float32Array>   logits [batchSize · numClasses]
 *
 * ClassifierBatch: inputIds BigInt64Array [B·T], attentionMask Float32Array [B·T] (1 token, 0 padding),
 * labels BigInt64Array [B].
 */
import { serializeGraph } from '../graph/serialize.ts';
import { sessionCache } from '../runtime/session-cache.ts';
import type { HostTensor, OnnxSession } from '../runtime/session.ts';
import type { ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { buildClassifierGraph, meanCrossEntropy } from './classifier.ts';
import type { TransformerClassifierConfig } from './classifier.ts';
import { addGradientOutputs, collectGradients, dropoutFeeds, parameterFeeds } from './graph-step.ts';
import { specsOf } from './scope.ts';

export interface ClassifierBatch {
  readonly inputIds: BigInt64Array;
  readonly attentionMask: Float32Array;
  readonly labels: BigInt64Array;
}

export interface ClassifierStepResult {
  readonly loss: number;
  readonly gradients: Map<string, Float32Array>;
}

export interface ClassifierStep {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: ClassifierBatch, dropoutSeed?: number): Promise<ClassifierStepResult>;
}

export interface ClassifierEval {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: Omit<ClassifierBatch, 'labels'>): Promise<Float32Array>;
}

/** Builds loss and gradient outputs onto the classifier graph. */
export function buildClassifierStepGraph(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
  dtype: 'float32' | 'float64' = 'float32',
) {
  const model = buildClassifierGraph(config, batchSize, seqLen, 'classifier_step', dtype);
  const labels = model.graph.input('labels', 'int64', [batchSize]);
  const { rowOutputs, denseNames } = addGradientOutputs(model.scope, meanCrossEntropy(model.logits, labels));
  return { model, rowOutputs, denseNames };
}

export async function createClassifierStep(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
): Promise<ClassifierStep> {
  const { model, rowOutputs, denseNames } = buildClassifierStepGraph(config, batchSize, seqLen);
  const session: OnnxSession = await sessionCache.get(serializeGraph(model.graph));
  const parameterSpecs = specsOf(model.scope.parameters);
  const rate = config.dropout ?? 0;
  return {
    parameterSpecs,
    async run(params, batch, dropoutSeed = 0) {
      const feeds: Record<string, HostTensor> = {
        input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
        attention_mask: { data: batch.attentionMask, shape: [batchSize, seqLen] },
        labels: { data: batch.labels, shape: [batchSize] },
      };
      parameterFeeds(params, parameterSpecs, feeds);
      dropoutFeeds(model.scope.dropoutSites, rate, dropoutSeed, feeds);
      const out = await session.run(feeds);
      const loss = (out.get('loss')?.data as Float32Array)[0] as number;
      return { loss, gradients: collectGradients(out, parameterSpecs, rowOutputs, denseNames) };
    },
  };
}

/** Forward-only graph (no dropout) returning logits. */
export async function createClassifierEval(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
): Promise<ClassifierEval> {
  const model = buildClassifierGraph({ ...config, dropout: 0 }, batchSize, seqLen, 'classifier_eval');
  model.graph.output(model.logits, 'logits');
  const session = await sessionCache.get(serializeGraph(model.graph));
  const parameterSpecs = specsOf(model.scope.parameters);
  return {
    parameterSpecs,
    async run(params, batch) {
      const feeds: Record<string, HostTensor> = {
        input_ids: { data: batch.inputIds, shape: [batchSize, seqLen] },
        attention_mask: { data: batch.attentionMask, shape: [batchSize, seqLen] },
      };
      parameterFeeds(params, parameterSpecs, feeds);
      return (await session.run(feeds, ['logits'])).get('logits')?.data as Float32Array;
    },
  };
}
