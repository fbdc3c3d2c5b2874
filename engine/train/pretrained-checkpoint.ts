/**
 * Reads a pretrained Hugging Face model: a folder (config.json and `model.safetensors` or its shards, engine/nn/
 * hf-folder/load-folder.ts), or one safetensors file with, when it sits beside it, `config.json`. Without a
 * config naming the architecture, a file's tensor names tell GPT-2 from BERT and the number of heads must be
 * given. Tensors are read one at a time from their offsets (F32, F16 or BF16, widened to float32).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lazySafetensorsFile } from '../codec/safetensors-lazy.ts';
import { importWithConfig, loadModelFolder, readModelConfig } from '../nn/hf-folder/load-folder.ts';
import type { HuggingFaceConfig } from '../nn/hf-folder/folder-config.ts';
import { importPretrained } from '../nn/pretrained-weights.ts';
import type { ImportedModel } from '../nn/pretrained-weights.ts';

export interface PretrainedOptions {
  heads?: number;
  lmHead?: string;
}

/** GPT-2 and BERT name the same settings differently. */
function legacySettings(config: HuggingFaceConfig, options: PretrainedOptions, file: string) {
  const pick = (...keys: string[]) => keys.map((key) => config[key]).find((value) => value !== undefined);
  const heads = options.heads ?? (pick('n_head', 'num_attention_heads') as number | undefined);
  const epsilon = pick('layer_norm_epsilon', 'layer_norm_eps') as number | undefined;
  const activation = pick('activation_function', 'hidden_act') as string | undefined;
  if (!heads) throw new Error(`${file}: the number of attention heads is unknown: give it, or put config.json beside`);
  return {
    heads,
    ...(epsilon ? { layerNormEpsilon: epsilon } : {}),
    ...(activation ? { activation } : {}),
    ...(options.lmHead ? { lmHead: options.lmHead } : {}),
  };
}

export function loadPretrained(path: string, options: PretrainedOptions = {}): ImportedModel {
  if (!existsSync(path)) throw new Error(`${path}: no such checkpoint file or model folder`);
  if (statSync(path).isDirectory()) return loadModelFolder(path, options);
  const configPath = join(dirname(path), 'config.json');
  const config = existsSync(configPath) ? readModelConfig(configPath) : {};
  const weights = lazySafetensorsFile(path);
  try {
    if (config.model_type !== undefined || config.architectures !== undefined)
      return importWithConfig(config, weights, options, path);
    return importPretrained(weights, legacySettings(config, options, path), path);
  } finally {
    weights.close();
  }
}
