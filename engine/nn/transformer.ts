/**
 * Pre-LN transformer (GPT-2 / "On Layer Normalization in the Transformer Architecture", Xiong et al. 2020):
 * x + Attention(LN(x)), then x + MLP(LN(x)), and a final LayerNorm after the last block. `normPlacement: 'post'`
 * gives BERT's post-LN form instead (LayerNorm on the embeddings, `trunk.embedding_norm.*`, no final norm).
 * Parameter names: trunk.token_embedding.weight, trunk.position_embedding.weight,
 * trunk.layers.{i}.attention_norm.*, trunk.layers.{i}.attention.{query,key,value,output}.*,
 * trunk.layers.{i}.mlp_norm.*, trunk.layers.{i}.mlp.{up,down}.*, trunk.final_norm.*.
 * `architecture: 'llama'` builds the Llama-family trunk instead (engine/nn/llama-trunk.ts).
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { attentionBias, multiHeadAttention } from './attention.ts';
import type { AttentionShape } from './attention.ts';
import { embedding, geluMlp, layerNorm, positionEmbedding } from './layers.ts';
import { llamaTrunk } from './llama-trunk.ts';
import { bagTrunk } from './bag-trunk.ts';
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
  /**
   * Where each block's LayerNorms sit: 'pre' (default, GPT-2: x + f(LN(x)), a final LayerNorm) or 'post'
   * (BERT: LN(x + f(x)), a LayerNorm on the embeddings and none at the end).
   */
  readonly normPlacement?: 'pre' | 'post';
  /**
   * 'gpt' (default): the GPT-2 / BERT form above. 'llama': RMSNorm (epsilon from layerNormEpsilon), rotary
   * positions, SwiGLU MLP (ffDim wide), grouped-query attention, always causal, no learned positions
   * (maxSequenceLength only bounds the sequence). 'bag': no transformer at all, the n-gram embedding bag of
   * engine/nn/bag-trunk.ts (heads, layers and ffDim unused).
   */
  readonly architecture?: 'gpt' | 'llama' | 'bag';
  /** Bag: rows of the hashed bigram table (engine/nn/bag-trunk.ts). */
  readonly bigramBuckets?: number;
  /** Llama: key/value heads (grouped-query attention); default `heads`. */
  readonly kvHeads?: number;
  /** Llama: the rotary base θ; default 10000. */
  readonly ropeTheta?: number;
  /** Llama: biases on the query, key and value projections (Qwen2); default none. */
  readonly attentionBias?: boolean;
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
  if (config.architecture === 'llama') validateLlamaFields(config);
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new Error(`transformer config: dropout must be in [0, 1), got ${rate}`);
}

function validateLlamaFields(config: TransformerConfig): void {
  const kvHeads = config.kvHeads ?? config.heads;
  if (!Number.isInteger(kvHeads) || kvHeads < 1 || config.heads % kvHeads !== 0)
    throw new Error(`transformer config: kvHeads ${kvHeads} must divide heads ${config.heads}`);
  if ((config.dModel / config.heads) % 2 !== 0)
    throw new Error(
      `transformer config: rotary positions need an even head width, got ${config.dModel / config.heads}`,
    );
  const theta = config.ropeTheta ?? 10000;
  if (!(theta > 0)) throw new Error(`transformer config: ropeTheta must be positive, got ${theta}`);
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
  if (config.normPlacement === 'post') return postNormBlock(scope, name, x, bias, config, shape);
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

/** BERT's block: LN(x + Attention(x)), then LN(x + MLP(x)); the norms keep the pre-LN names. */
function postNormBlock(
  scope: ModelScope,
  name: string,
  x: Value,
  bias: Value,
  config: TransformerConfig,
  shape: AttentionShape,
): Value {
  const epsilon = config.layerNormEpsilon ?? 1e-5;
  const attended = scope.dropout(multiHeadAttention(scope, `${name}.attention`, x, bias, shape), `${name}.attention`);
  const afterAttention = layerNorm(scope, `${name}.attention_norm`, op.add(x, attended), epsilon);
  const mlp = geluMlp(scope, `${name}.mlp`, afterAttention, { hidden: config.ffDim, gelu: config.gelu ?? 'none' });
  return layerNorm(scope, `${name}.mlp_norm`, op.add(afterAttention, scope.dropout(mlp, `${name}.mlp`)), epsilon);
}

export interface TrunkInputs {
  /** int64 [B, T] */
  readonly inputIds: Value;
  /** float32 [B, T], 1 for tokens and 0 for padding. */
  readonly attentionMask: Value;
}

/** Hidden states [B·T, d] after the final LayerNorm. */
export function transformerTrunk(scope: ModelScope, inputs: TrunkInputs, config: TransformerConfig): Value {
  if (config.architecture === 'bag') return bagTrunk(scope, inputs, config);
  validateTransformerConfig(config);
  const [batch, sequence] = inputs.inputIds.shape as [number, number];
  if (sequence > config.maxSequenceLength) {
    throw new Error(`sequence length ${sequence} exceeds maxSequenceLength ${config.maxSequenceLength}`);
  }
  if (config.architecture === 'llama') return llamaTrunk(scope, inputs, config);
  const d = config.dModel;
  const tokens = embedding(scope, 'trunk.token_embedding', inputs.inputIds, config.vocabSize, d);
  const positions = positionEmbedding(scope, 'trunk.position_embedding', config.maxSequenceLength, sequence, d);
  const post = config.normPlacement === 'post';
  const epsilon = config.layerNormEpsilon ?? 1e-5;
  let embedded = op.reshape(op.add(tokens, positions), [batch * sequence, d]);
  if (post) embedded = layerNorm(scope, 'trunk.embedding_norm', embedded, epsilon);
  let hidden = scope.dropout(embedded, 'trunk.embedding');
  const bias = attentionBias(scope.graph, inputs.attentionMask, config.causal ?? false);
  const shape = { batch, sequence, heads: config.heads };
  for (let layer = 0; layer < config.layers; layer += 1) {
    hidden = transformerBlock(scope, `trunk.layers.${layer}`, hidden, bias, config, shape);
  }
  return post ? hidden : layerNorm(scope, 'trunk.final_norm', hidden, epsilon);
}
