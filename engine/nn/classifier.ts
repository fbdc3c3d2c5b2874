/**
 * Sequence classifier: transformer trunk, pooling, a linear head (`head.weight` [d, C], `head.bias` [C]) and
 * softmax cross-entropy with ignore-index. Pooling is 'mean' over the attention mask (default) or 'first' token.
 */
import { Graph } from '../graph/ir.ts';
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { linear } from './layers.ts';
import { ModelScope, initializeParameters, specsOf } from './scope.ts';
import type { Float32Tensor, TensorSpec } from '../tensor/parameter-set.ts';
import { transformerTrunk } from './transformer.ts';
import type { TransformerConfig } from './transformer.ts';

export interface TransformerClassifierConfig extends TransformerConfig {
  readonly numClasses: number;
  readonly pooling?: 'mean' | 'first';
}

/** Labels equal to this are left out of the loss (and its mean). */
export const ignoreIndex = -100;

export interface ClassifierGraph {
  readonly graph: Graph;
  readonly scope: ModelScope;
  readonly inputIds: Value;
  readonly attentionMask: Value;
  readonly logits: Value;
}

/** Mean of hidden states over real tokens: Σ_t h·m / max(Σ_t m, 1). */
function meanPool(hidden: Value, mask: Value): Value {
  const [batch, sequence] = mask.shape as [number, number];
  const d = hidden.shape[1] as number;
  const masked = op.mul(op.reshape(hidden, [batch, sequence, d]), op.reshape(mask, [batch, sequence, 1]));
  const count = op.max(op.reduceSum(mask, [1], true), 1);
  return op.div(op.reduceSum(masked, [1]), count);
}

function firstPool(hidden: Value, batch: number, sequence: number): Value {
  const d = hidden.shape[1] as number;
  return op.reshape(op.slice(op.reshape(hidden, [batch, sequence, d]), [0], [1], [1]), [batch, d]);
}

/** Forward graph with parameters as inputs; `logits` [B, C]. */
export function buildClassifierGraph(
  config: TransformerClassifierConfig,
  batchSize: number,
  seqLen: number,
  name = 'classifier',
  dtype: 'float32' | 'float64' = 'float32',
): ClassifierGraph {
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2) {
    throw new Error(`classifier config: numClasses must be an integer ≥ 2, got ${config.numClasses}`);
  }
  const graph = new Graph(name);
  const scope = new ModelScope(graph, config.dropout ?? 0, dtype);
  const inputIds = graph.input('input_ids', 'int64', [batchSize, seqLen]);
  const attentionMask = graph.input('attention_mask', dtype, [batchSize, seqLen]);
  const hidden = transformerTrunk(scope, { inputIds, attentionMask }, config);
  const pooled =
    (config.pooling ?? 'mean') === 'mean' ? meanPool(hidden, attentionMask) : firstPool(hidden, batchSize, seqLen);
  const logits = linear(scope, 'head', pooled, config.numClasses);
  return { graph, scope, inputIds, attentionMask, logits };
}

/**
 * Mean softmax cross-entropy over labels ≠ ignoreIndex, and 0 (with zero gradients) when every label is ignored —
 * an empty Poisson-sampled batch is normal under DP-SGD; onnxruntime's own mean would give NaN there.
 */
export function meanCrossEntropy(logits: Value, labels: Value): Value {
  const total = op.softmaxCrossEntropyLoss(logits, labels, { ignoreIndex, reduction: 'sum' }).loss;
  const counted = op.reduceSum(op.cast(op.not(op.equal(labels, ignoreIndex)), logits.dtype), [0]);
  return op.div(total, op.max(counted, 1));
}

/** Names and shapes of the classifier's parameters, in ParameterSet order. */
export function classifierParameterSpecs(config: TransformerClassifierConfig): TensorSpec[] {
  return specsOf(buildClassifierGraph({ ...config, dropout: 0 }, 1, 1).scope.parameters);
}

/** Seeded initial parameters: the same seed and config give identical values. */
export function initializeClassifierParameters(
  config: TransformerClassifierConfig,
  seed: number,
): Map<string, Float32Tensor> {
  return initializeParameters(buildClassifierGraph({ ...config, dropout: 0 }, 1, 1).scope.parameters, seed);
}
