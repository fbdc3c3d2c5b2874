/**
 * Tiny Hugging Face model folders written for tests: a random state dict in the checkpoint's own names, stored
 * as F32, F16 or BF16, in one `model.safetensors` or in shards with `model.safetensors.index.json`, beside
 * config.json and a Llama-style tokenizer.json. Values are multiples of 1/64 in [-1, 1] so that every dtype
 * stores them exactly and all three folders hold the same model.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor } from '../../../../engine/tensor/parameter-set.ts';
import { seededRandom } from '../../../support/seeded-random.ts';
import { llamaTokenizerJson, llamaTokenizerVocabSize } from './llama-tokenizer-fixture.ts';

export type StoredDtype = 'F32' | 'F16' | 'BF16';

export interface LlamaFixtureConfig {
  model_type: string;
  vocab_size: number;
  hidden_size: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  num_hidden_layers: number;
  intermediate_size: number;
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  hidden_act: string;
  [key: string]: unknown;
}

export const tinyLlamaConfig: LlamaFixtureConfig = {
  model_type: 'llama',
  architectures: ['LlamaForCausalLM'],
  vocab_size: llamaTokenizerVocabSize,
  hidden_size: 32,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 48,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: false,
  hidden_act: 'silu',
};

/** A Llama-family state dict in Hugging Face names (nn.Linear weights [out, in]). */
export function llamaStateDict(config: LlamaFixtureConfig, seed = 5): Map<string, Float32Tensor> {
  const random = seededRandom(seed);
  const t = (...shape: number[]) =>
    tensor(
      shape,
      Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => Math.round(random() * 64 - 32) / 64),
    );
  const ones = (n: number) =>
    tensor(
      [n],
      Float32Array.from({ length: n }, () => 1 + Math.round(random() * 16 - 8) / 64),
    );
  const { hidden_size: d, intermediate_size: ff, vocab_size: vocab } = config;
  const kv = (d / config.num_attention_heads) * config.num_key_value_heads;
  const biased = config.model_type === 'qwen2';
  const m = new Map<string, Float32Tensor>([['model.embed_tokens.weight', t(vocab, d)]]);
  for (let i = 0; i < config.num_hidden_layers; i += 1) {
    const p = `model.layers.${i}`;
    m.set(`${p}.input_layernorm.weight`, ones(d)).set(`${p}.post_attention_layernorm.weight`, ones(d));
    for (const [name, out] of [
      ['q', d],
      ['k', kv],
      ['v', kv],
      ['o', d],
    ] as const) {
      m.set(`${p}.self_attn.${name}_proj.weight`, t(out, d));
      if (biased && name !== 'o') m.set(`${p}.self_attn.${name}_proj.bias`, t(out));
    }
    m.set(`${p}.mlp.gate_proj.weight`, t(ff, d)).set(`${p}.mlp.up_proj.weight`, t(ff, d));
    m.set(`${p}.mlp.down_proj.weight`, t(d, ff));
  }
  m.set('model.norm.weight', ones(d));
  if (!config.tie_word_embeddings) m.set('lm_head.weight', t(vocab, d));
  return m;
}

function float16Bits(value: number): number {
  const bits = new Uint32Array(Float32Array.of(value).buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  if ((bits & 0x7fffffff) === 0) return sign;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0 || exponent >= 31) throw new Error(`fixture value ${value} is not a normal float16`);
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}

function encodedData(value: Float32Tensor, dtype: StoredDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(value.data.buffer.slice(0));
  const out = new Uint16Array(value.data.length);
  const words = new Uint32Array(value.data.buffer, value.data.byteOffset, value.data.length);
  for (let i = 0; i < out.length; i += 1) out[i] = dtype === 'BF16' ? words[i]! >>> 16 : float16Bits(value.data[i]!);
  return new Uint8Array(out.buffer);
}

/** A safetensors file of the tensors stored in one dtype. */
export function safetensorsBytes(tensors: ReadonlyMap<string, Float32Tensor>, dtype: StoredDtype): Uint8Array {
  const header: Record<string, unknown> = {};
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, value] of tensors) {
    const data = encodedData(value, dtype);
    header[name] = { dtype, shape: value.shape, data_offsets: [offset, offset + data.byteLength] };
    parts.push(data);
    offset += data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, ...parts]);
}

export interface FolderOptions {
  dtype?: StoredDtype;
  /** Split into this many shards with an index; one model.safetensors when absent. */
  shards?: number;
  tokenizer?: boolean;
}

export function writeModelFolder(
  folder: string,
  config: object,
  tensors: ReadonlyMap<string, Float32Tensor>,
  options: FolderOptions = {},
): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  if (options.tokenizer ?? true) writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(llamaTokenizerJson()));
  const dtype = options.dtype ?? 'F32';
  if (!options.shards) {
    writeFileSync(join(folder, 'model.safetensors'), safetensorsBytes(tensors, dtype));
    return folder;
  }
  const names = [...tensors.keys()];
  const weightMap: Record<string, string> = {};
  for (let shard = 0; shard < options.shards; shard += 1) {
    const file = `model-${String(shard + 1).padStart(5, '0')}-of-${String(options.shards).padStart(5, '0')}.safetensors`;
    const mine = names.filter((_, i) => i % options.shards! === shard);
    for (const name of mine) weightMap[name] = file;
    writeFileSync(join(folder, file), safetensorsBytes(new Map(mine.map((name) => [name, tensors.get(name)!])), dtype));
  }
  writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return folder;
}
