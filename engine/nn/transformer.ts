/**
 * Pre-LN transformer (GPT-2 / "On Layer Normalization in the Transformer Architecture", Xiong et al. 2020):
 * x + Attention(LN(x)), then x + MLP(LN(x)), and a final LayerNorm after the last block.
 * Parameter names: trunk.token_embedding.weight, trunk.position_embedding.weight,
 * trunk.layers.{i}.attention_norm.*, trunk.layers.{i}.attention.{query,key,value,output}.*,
 * trunk.layers.{i}.mlp_norm.*, trunk.layers.{i}.mlp.{up,down}.*, trunk.final_norm.*.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { attentionBias, multiHeadAttention } from './attention.ts';
import type { AttentionShape } from './attention.ts';
import { embedding, geluMlp, layerNorm, positionEmbedding } from './layers.ts';
import type { ModelScope } from './scope.ts';

export interface TransformerConfig {
  readonly vocabSize: number;
  readonly maxSequenceLength: number;
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  readonly ffDim: number;
  /** Causal (decoder) or bidirectional (encoder) attention; default bidirectional. */
  readonly causal?: boolean;
  /** Rate of dropout on embeddings, attention weights and residual branches; default 0. */
  readonly dropout?: number;
  /** GELU form: exact ('none', default) or the tanh approximation. */
  readonly gelu?: 'none' | 'tanh';
  readonly layerNormEpsilon?: number;
}

export function validateTransformerConfig(config: TransformerConfig): void {
  const positive = ['vocabSize', 'maxSequenceLength', 'dModel', 'heads', 'layers', 'ffDim'] as const;
  for (const field of positive) {
    if (!Number.isInteger(config[field]) || config[field] < 1) {
      throw new Error(`transformer config: ${field} must be a positive integer, got ${config[field]}`);
    }
  }
  if (config.dModel % config.heads !== 0) {
    throw new Error(`transformer config: dModel ${config.dModel} is not divisible by heads ${config.heads}`);
  }
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new Error(`transformer config: dropout must be in [0, 1), got ${rate}`);
}

export function transformerBlock(
  scope: ModelScope,
  name: string,
  x: Value,
  bias: Value,
  config: TransformerConfig,
  shape: AttentionShape,
): Value {
  const epsilon = config.layerNormEpsilon ?? 1e-5;
  const attended = multiHeadAttention(
    scope,
    `${name}.attention`,
    layerNorm(scope, `${name}.attention_norm`, x, epsilon),
    bias,
    shape,
  );
  const afterAttention = op.add(x, scope.dropout(attended, `${name}.attention`));
  const normalized = layerNorm(scope, `${name}.mlp_norm`, afterAttention, epsilon);
  const transformed = geluMlp(scope, `${name}.mlp`, normalized, { hidden: config.ffDim, gelu: config.gelu ?? 'none' });
  return op.add(afterAttention, scope.dropout(transformed, `${name}.mlp`));
}

export interface TrunkInputs {
  /** int64 [B, T] */
  readonly inputIds: Value;
  /** float32 [B, T], 1 for tokens and 0 for padding. */
  readonly attentionMask: Value;
}

/** Hidden states [B·T, d] after the final LayerNorm. */
export function transformerTrunk(scope: ModelScope, inputs: TrunkInputs, config: TransformerConfig): Value {
  validateTransformerConfig(config);
  const [batch, sequence] = inputs.inputIds.shape as [number, number];
  if (sequence > config.maxSequenceLength) {
    throw new Error(`sequence length ${sequence} exceeds maxSequenceLength ${config.maxSequenceLength}`);
  }
  const d = config.dModel;
  const tokens = embedding(scope, 'trunk.token_embedding', inputs.inputIds, config.vocabSize, d);
  const positions = positionEmbedding(scope, 'trunk.position_embedding', config.maxSequenceLength, sequence, d);
  let hidden = scope.dropout(op.reshape(op.add(tokens, positions), [batch * sequence, d]), 'trunk.embedding');
  const bias = attentionBias(scope.graph, inputs.attentionMask, config.causal ?? false);
  const shape = { batch, sequence, heads: config.heads };
  for (let layer = 0; layer < config.layers; layer += 1) {
    hidden = transformerBlock(scope, `trunk.layers.${layer}`, hidden, bias, config, shape);
  }
  return layerNorm(scope, 'trunk.final_norm', hidden, config.layerNormEpsilon ?? 1e-5);
}
