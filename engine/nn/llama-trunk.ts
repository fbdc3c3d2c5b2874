/**
 * The Llama-family trunk (Llama, TinyLlama, SmolLM, Qwen2): token embeddings without learned positions, then per
 * block x + Attention(RMSNorm(x)) and x + SwiGLU(RMSNorm(x)), rotary positions inside attention, grouped-query
 * attention, causal masking, and a final RMSNorm. Parameter names: trunk.token_embedding.weight,
 * trunk.layers.{i}.attention_norm.weight, trunk.layers.{i}.attention.{query,key,value,output}.*,
 * trunk.layers.{i}.mlp_norm.weight, trunk.layers.{i}.mlp.{gate,up,down}.weight, trunk.final_norm.weight.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { attentionBias } from './attention.ts';
import { groupedQueryAttention } from './llama-attention.ts';
import type { GroupedAttentionShape } from './llama-attention.ts';
import { embedding, linear, rmsNorm } from './layers.ts';
import { rotaryTables } from './rotary.ts';
import type { RotaryTables } from './rotary.ts';
import type { ModelScope } from './scope.ts';
import type { TransformerConfig, TrunkInputs } from './transformer.ts';

/** down(SiLU(gate(x)) ⊙ up(x)), SiLU(z) = z·σ(z) (Shazeer 2020, "GLU Variants Improve Transformer"). */
export function swigluMlp(scope: ModelScope, name: string, x: Value, hidden: number): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const gate = linear(scope, `${name}.gate`, x, hidden, 1, false);
  const up = linear(scope, `${name}.up`, x, hidden, 1, false);
  return linear(scope, `${name}.down`, op.mul(op.mul(gate, op.sigmoid(gate)), up), width, 1, false);
}

function llamaBlock(
  scope: ModelScope,
  name: string,
  x: Value,
  context: { bias: Value; rotary: RotaryTables; shape: GroupedAttentionShape; config: TransformerConfig },
): Value {
  const { config } = context;
  const epsilon = config.layerNormEpsilon ?? 1e-6;
  const attended = groupedQueryAttention(
    scope,
    `${name}.attention`,
    rmsNorm(scope, `${name}.attention_norm`, x, epsilon),
    context.bias,
    context.shape,
    context.rotary,
    config.attentionBias ?? false,
  );
  const afterAttention = op.add(x, scope.dropout(attended, `${name}.attention`));
  const transformed = swigluMlp(
    scope,
    `${name}.mlp`,
    rmsNorm(scope, `${name}.mlp_norm`, afterAttention, epsilon),
    config.ffDim,
  );
  return op.add(afterAttention, scope.dropout(transformed, `${name}.mlp`));
}

/** Hidden states [B·T, d] after the final RMSNorm. */
export function llamaTrunk(scope: ModelScope, inputs: TrunkInputs, config: TransformerConfig): Value {
  const [batch, sequence] = inputs.inputIds.shape as [number, number];
  const d = config.dModel;
  const tokens = embedding(scope, 'trunk.token_embedding', inputs.inputIds, config.vocabSize, d);
  let hidden = scope.dropout(op.reshape(tokens, [batch * sequence, d]), 'trunk.embedding');
  const shape = { batch, sequence, heads: config.heads, kvHeads: config.kvHeads ?? config.heads };
  const context = {
    bias: attentionBias(scope.graph, inputs.attentionMask, true),
    rotary: rotaryTables(scope, d / config.heads, sequence, config.ropeTheta ?? 10000),
    shape,
    config,
  };
  for (let layer = 0; layer < config.layers; layer += 1) {
    hidden = llamaBlock(scope, `trunk.layers.${layer}`, hidden, context);
  }
  return rmsNorm(scope, 'trunk.final_norm', hidden, config.layerNormEpsilon ?? 1e-6);
}
