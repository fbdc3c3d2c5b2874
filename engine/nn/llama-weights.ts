/**
 * Llama-family checkpoints (LlamaForCausalLM / LlamaModel, Qwen2ForCausalLM; TinyLlama and SmolLM are Llama
 * configs) mapped onto our Llama trunk (`architecture: 'llama'`). nn.Linear stores weights [out, in]; ours are
 * [in, out], so each projection is transposed as it is read, one tensor at a time. Names, with or without the
 * `model.` prefix: embed_tokens → trunk.token_embedding; layers.N.self_attn.{q,k,v,o}_proj →
 * attention.{query,key,value,output}; mlp.{gate,up,down}_proj → mlp.{gate,up,down}; input_layernorm →
 * attention_norm; post_attention_layernorm → mlp_norm; norm → final_norm; lm_head (when not tied) → the
 * causal-LM head's weight.
 */
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import type { TransformerConfig } from './transformer.ts';

export interface LlamaImport {
  trunk: TransformerConfig;
  parameters: Map<string, Float32Tensor>;
  /** The untied LM head as ours [d, vocab]; absent when the head is the token embedding (tied). */
  lmHead?: Float32Tensor;
}

function take(source: ParameterSet, name: string, shape: readonly number[], file: string): Float32Tensor {
  const value = source.get(`model.${name}`) ?? source.get(name);
  if (!value) throw new Error(`${file}: tensor "model.${name}" is missing`);
  if (value.shape.join(',') !== shape.join(','))
    throw new Error(
      `${file}: tensor "model.${name}" has shape [${value.shape.join(', ')}], the config expects [${shape.join(', ')}]`,
    );
  return value;
}

/** A source that can read a matrix straight into its transpose (engine/codec/safetensors-lazy.ts). */
interface TransposingSource {
  getTransposed(name: string): Float32Tensor | undefined;
  entry(name: string): { shape: readonly number[] } | undefined;
}

/** theirs [out, in] as ours [in, out], read transposed when the source can, after checking its shape. */
function takeTransposed(source: ParameterSet, name: string, shape: readonly number[], file: string): Float32Tensor {
  const lazy = source as ParameterSet & Partial<TransposingSource>;
  const full = source.has(`model.${name}`) ? `model.${name}` : name;
  const stored = lazy.entry?.(full);
  if (!lazy.getTransposed || !stored) return transposed(take(source, name, shape, file));
  if (stored.shape.join(',') !== shape.join(','))
    throw new Error(
      `${file}: tensor "${full}" has shape [${stored.shape.join(', ')}], the config expects [${shape.join(', ')}]`,
    );
  return lazy.getTransposed(full)!;
}

function transposed(value: Float32Tensor): Float32Tensor {
  const [rows, cols] = value.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r += 1) for (let c = 0; c < cols; c += 1) out[c * rows + r] = value.data[r * cols + c]!;
  return tensor([cols, rows], out);
}

function importLayer(
  source: ParameterSet,
  trunk: TransformerConfig,
  i: number,
  file: string,
  out: Map<string, Float32Tensor>,
) {
  const { dModel: d, ffDim: ff } = trunk;
  const kvWidth = (trunk.kvHeads ?? trunk.heads) * (d / trunk.heads);
  const [ours, theirs] = [`trunk.layers.${i}`, `layers.${i}`];
  const linear = (to: string, from: string, inFeatures: number, outFeatures: number, bias = false) => {
    out.set(`${to}.weight`, takeTransposed(source, `${from}.weight`, [outFeatures, inFeatures], file));
    if (bias) out.set(`${to}.bias`, take(source, `${from}.bias`, [outFeatures], file));
  };
  const withBias = trunk.attentionBias ?? false;
  linear(`${ours}.attention.query`, `${theirs}.self_attn.q_proj`, d, d, withBias);
  linear(`${ours}.attention.key`, `${theirs}.self_attn.k_proj`, d, kvWidth, withBias);
  linear(`${ours}.attention.value`, `${theirs}.self_attn.v_proj`, d, kvWidth, withBias);
  linear(`${ours}.attention.output`, `${theirs}.self_attn.o_proj`, d, d);
  linear(`${ours}.mlp.gate`, `${theirs}.mlp.gate_proj`, d, ff);
  linear(`${ours}.mlp.up`, `${theirs}.mlp.up_proj`, d, ff);
  linear(`${ours}.mlp.down`, `${theirs}.mlp.down_proj`, ff, d);
  out.set(`${ours}.attention_norm.weight`, take(source, `${theirs}.input_layernorm.weight`, [d], file));
  out.set(`${ours}.mlp_norm.weight`, take(source, `${theirs}.post_attention_layernorm.weight`, [d], file));
}

/** Our trunk parameters (and the untied LM head) from a Llama-family state dict whose shapes the config gives. */
export function importLlama(
  source: ParameterSet,
  trunk: TransformerConfig,
  tiedEmbeddings: boolean,
  file = 'checkpoint',
): LlamaImport {
  const { dModel: d, vocabSize: vocab } = trunk;
  const parameters = new Map<string, Float32Tensor>();
  parameters.set('trunk.token_embedding.weight', take(source, 'embed_tokens.weight', [vocab, d], file));
  for (let i = 0; i < trunk.layers; i += 1) importLayer(source, trunk, i, file, parameters);
  parameters.set('trunk.final_norm.weight', take(source, 'norm.weight', [d], file));
  if (tiedEmbeddings || !source.has('lm_head.weight')) {
    if (!tiedEmbeddings) throw new Error(`${file}: tensor "lm_head.weight" is missing and the config does not tie it`);
    return { trunk, parameters };
  }
  return { trunk, parameters, lmHead: takeTransposed(source, 'lm_head.weight', [vocab, d], file) };
}
