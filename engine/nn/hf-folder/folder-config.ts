/**
 * A Hugging Face model folder's config.json: which architecture the weights are (model_type, or the first of
 * `architectures`) and the settings our import needs. GPT-2, BERT, DistilBERT and RoBERTa keep their own import
 * settings; the Llama family (llama — TinyLlama and SmolLM among them — and qwen2) is described by the config
 * alone, so its trunk is built from it and every tensor is checked against it.
 */
import type { TransformerConfig } from '../transformer.ts';

export type FolderFamily = 'gpt2' | 'bert' | 'distilbert' | 'roberta' | 'llama';

export type HuggingFaceConfig = Record<string, unknown>;

const familyOfModelType: Readonly<Record<string, FolderFamily>> = {
  gpt2: 'gpt2',
  bert: 'bert',
  distilbert: 'distilbert',
  roberta: 'roberta',
  llama: 'llama',
  qwen2: 'llama',
};

const modelTypeOfArchitecture: readonly [RegExp, string][] = [
  [/^GPT2/, 'gpt2'],
  [/^DistilBert/, 'distilbert'],
  [/^Roberta/, 'roberta'],
  [/^Bert/, 'bert'],
  [/^Llama/, 'llama'],
  [/^Qwen2(?!Moe|VL|Audio)/, 'qwen2'],
];

/** The config's model_type, or the one its first architecture implies. */
export function modelTypeOf(config: HuggingFaceConfig, source: string): string {
  if (typeof config.model_type === 'string') return config.model_type;
  const first = Array.isArray(config.architectures) ? config.architectures[0] : undefined;
  if (typeof first === 'string') {
    const match = modelTypeOfArchitecture.find(([pattern]) => pattern.test(first));
    if (match) return match[1];
    throw new Error(`${source}: architecture "${first}" is not supported (${supportedText()})`);
  }
  throw new Error(`${source}: neither model_type nor architectures says which model this is`);
}

function supportedText(): string {
  return `supported model_type: ${Object.keys(familyOfModelType).join(', ')}`;
}

export function familyOf(modelType: string, source: string): FolderFamily {
  const family = familyOfModelType[modelType];
  if (!family) throw new Error(`${source}: model_type "${modelType}" is not supported (${supportedText()})`);
  return family;
}

function positiveInteger(config: HuggingFaceConfig, key: string, source: string, fallback?: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`${source}: "${key}" must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

function refuseUnsupported(config: HuggingFaceConfig, modelType: string, source: string): void {
  const activation = config.hidden_act ?? 'silu';
  if (activation !== 'silu')
    throw new Error(`${source}: hidden_act "${String(activation)}" is not supported (silu only)`);
  if (config.rope_scaling !== undefined && config.rope_scaling !== null)
    throw new Error(
      `${source}: rope_scaling ${JSON.stringify(config.rope_scaling)} is not supported (plain rotary positions only)`,
    );
  if (modelType === 'llama' && config.attention_bias === true)
    throw new Error(
      `${source}: attention_bias with an output-projection bias is not supported (Qwen2's q, k, v biases are)`,
    );
  if (config.mlp_bias === true) throw new Error(`${source}: mlp_bias is not supported`);
  if (config.use_sliding_window === true) throw new Error(`${source}: sliding-window attention is not supported`);
}

export interface LlamaFolderConfig {
  trunk: TransformerConfig;
  tiedEmbeddings: boolean;
}

/** The Llama-family trunk a config.json describes (llama or qwen2), or why it cannot be built. */
export function llamaTrunkOf(config: HuggingFaceConfig, modelType: string, source: string): LlamaFolderConfig {
  refuseUnsupported(config, modelType, source);
  const dModel = positiveInteger(config, 'hidden_size', source);
  const heads = positiveInteger(config, 'num_attention_heads', source);
  const kvHeads = positiveInteger(config, 'num_key_value_heads', source, heads);
  if (dModel % heads !== 0 || heads % kvHeads !== 0)
    throw new Error(
      `${source}: hidden_size ${dModel}, num_attention_heads ${heads} and num_key_value_heads ${kvHeads} do not divide`,
    );
  const headDim = config.head_dim;
  if (headDim !== undefined && headDim !== null && headDim !== dModel / heads)
    throw new Error(
      `${source}: head_dim ${String(headDim)} differs from hidden_size / num_attention_heads (${dModel / heads})`,
    );
  const epsilon = typeof config.rms_norm_eps === 'number' ? config.rms_norm_eps : 1e-6;
  const theta = typeof config.rope_theta === 'number' ? config.rope_theta : 10000;
  const trunk: TransformerConfig = {
    architecture: 'llama',
    vocabSize: positiveInteger(config, 'vocab_size', source),
    maxSequenceLength: positiveInteger(config, 'max_position_embeddings', source, 2048),
    dModel,
    heads,
    kvHeads,
    layers: positiveInteger(config, 'num_hidden_layers', source),
    ffDim: positiveInteger(config, 'intermediate_size', source),
    causal: true,
    layerNormEpsilon: epsilon,
    ropeTheta: theta,
    ...(modelType === 'qwen2' ? { attentionBias: true } : {}),
  };
  return { trunk, tiedEmbeddings: config.tie_word_embeddings === true };
}
