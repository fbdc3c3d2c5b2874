/**
 * `--init DIR`: a Hugging Face model folder — config.json, the weights as `model.safetensors` or as shards named
 * by `model.safetensors.index.json` — imported onto our parameter names. config.json chooses the architecture;
 * the weights are read lazily, one tensor at a time, from their file offsets and converted to float32 (F32, F16,
 * BF16), so that importing never holds a whole shard nor two copies of the weights.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lazySafetensorsFile } from '../../codec/safetensors-lazy.ts';
import type { LazyTensorMap } from '../../codec/safetensors-lazy.ts';
import { openShardedSafetensors } from '../../codec/safetensors-shards.ts';
import type { Float32Tensor, ParameterSet } from '../../tensor/parameter-set.ts';
import { tensor } from '../../tensor/parameter-set.ts';
import { importBert } from '../bert-weights.ts';
import { importLlama } from '../llama-weights.ts';
import { importGpt2 } from '../pretrained-weights.ts';
import type { ImportedModel } from '../pretrained-weights.ts';
import { familyOf, llamaTrunkOf, modelTypeOf } from './folder-config.ts';
import type { HuggingFaceConfig } from './folder-config.ts';
import { distilBertAsBert, renamedTensors, robertaAsBert } from './renamed-tensors.ts';

export interface FolderImportOptions {
  /** Attention heads when config.json does not say (single-file GPT-2 / BERT imports only). */
  heads?: number;
  /** Name of a causal-LM head to fill from GPT-2's tied embedding. */
  lmHead?: string;
}

export function readModelConfig(path: string): HuggingFaceConfig {
  try {
    const config = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('not a JSON object');
    return config as HuggingFaceConfig;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${path}: cannot read the model config: ${reason}`, { cause: error });
  }
}

/** The folder's weights: the shard index when there is one, else model.safetensors. */
export function openFolderWeights(folder: string): LazyTensorMap {
  const index = join(folder, 'model.safetensors.index.json');
  if (existsSync(index)) return openShardedSafetensors(index);
  const single = join(folder, 'model.safetensors');
  if (existsSync(single)) return lazySafetensorsFile(single);
  const shards = readdirSync(folder).filter((name) => /^model-\d+-of-\d+\.safetensors$/.test(name));
  if (shards.length > 0)
    throw new Error(
      `${folder}: shards ${shards.join(', ')} but no model.safetensors.index.json to say what each holds`,
    );
  throw new Error(`${folder}: no model.safetensors nor model.safetensors.index.json`);
}

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function headsOf(config: HuggingFaceConfig, options: FolderImportOptions, source: string): number {
  const heads = options.heads ?? number(config.n_head) ?? number(config.num_attention_heads) ?? number(config.n_heads);
  if (!heads)
    throw new Error(`${source}: the number of attention heads is unknown: give it, or put config.json beside`);
  return heads;
}

function bertSettings(config: HuggingFaceConfig, heads: number) {
  const epsilon = number(config.layer_norm_eps);
  const activation = text(config.hidden_act) ?? text(config.activation);
  return { heads, ...(epsilon ? { layerNormEpsilon: epsilon } : {}), ...(activation ? { activation } : {}) };
}

/** RoBERTa's positions start after the padding id (padding_idx + 1); ours start at 0, so the first rows go. */
function robertaPositions(config: HuggingFaceConfig) {
  const offset = (number(config.pad_token_id) ?? 1) + 1;
  return (ours: string, value: Float32Tensor): Float32Tensor => {
    if (ours !== 'embeddings.position_embeddings.weight') return value;
    const [rows, width] = value.shape as [number, number];
    return tensor([rows - offset, width], value.data.slice(offset * width));
  };
}

/** Imports the weights of the architecture config.json names. */
export function importWithConfig(
  config: HuggingFaceConfig,
  weights: ParameterSet,
  options: FolderImportOptions,
  source: string,
): ImportedModel {
  const modelType = modelTypeOf(config, source);
  const family = familyOf(modelType, source);
  if (family === 'llama') {
    const { trunk, tiedEmbeddings } = llamaTrunkOf(config, modelType, source);
    return importLlama(weights, trunk, tiedEmbeddings, source);
  }
  const heads = headsOf(config, options, source);
  if (family === 'gpt2') {
    const epsilon = number(config.layer_norm_epsilon);
    const activation = text(config.activation_function);
    return importGpt2(
      weights,
      {
        heads,
        ...(epsilon ? { layerNormEpsilon: epsilon } : {}),
        ...(activation ? { activation } : {}),
        ...(options.lmHead ? { lmHead: options.lmHead } : {}),
      },
      source,
    );
  }
  const view =
    family === 'distilbert'
      ? renamedTensors(weights, distilBertAsBert)
      : family === 'roberta'
        ? renamedTensors(weights, robertaAsBert, robertaPositions(config))
        : weights;
  return importBert(view, bertSettings(config, heads), source);
}

/** Imports a model folder (config.json and its safetensors weights). */
export function loadModelFolder(folder: string, options: FolderImportOptions = {}): ImportedModel {
  const configPath = join(folder, 'config.json');
  if (!existsSync(configPath)) throw new Error(`${folder}: no config.json, which says what the model is`);
  const config = readModelConfig(configPath);
  const source = `${folder}`;
  modelTypeOf(config, configPath);
  const weights = openFolderWeights(folder);
  try {
    return importWithConfig(config, weights, options, source);
  } finally {
    weights.close();
  }
}
