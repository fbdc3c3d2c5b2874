/**
 * Reads a Hugging Face checkpoint (`model.safetensors`, F32 or BF16) and, when it sits beside it, `config.json`
 * (n_head, layer_norm_epsilon, activation_function), and maps it onto our parameter names (engine/nn/
 * pretrained-weights.ts). Without config.json the number of heads must be given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importPretrained } from '../nn/pretrained-weights.ts';
import type { ImportedModel } from '../nn/pretrained-weights.ts';
import { decodeSafetensors } from './safetensors.ts';

export interface PretrainedOptions {
  heads?: number;
  lmHead?: string;
}

interface HuggingFaceConfig {
  n_head?: number;
  layer_norm_epsilon?: number;
  activation_function?: string;
}

export function loadPretrained(file: string, options: PretrainedOptions = {}): ImportedModel {
  if (!existsSync(file)) throw new Error(`${file}: no such checkpoint file`);
  const { tensors } = decodeSafetensors(readFileSync(file), file);
  const configPath = join(dirname(file), 'config.json');
  const config: HuggingFaceConfig = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as HuggingFaceConfig)
    : {};
  const heads = options.heads ?? config.n_head;
  if (!heads) throw new Error(`${file}: the number of attention heads is unknown: give it, or put config.json beside`);
  return importPretrained(
    tensors,
    {
      heads,
      ...(config.layer_norm_epsilon ? { layerNormEpsilon: config.layer_norm_epsilon } : {}),
      ...(config.activation_function ? { activation: config.activation_function } : {}),
      ...(options.lmHead ? { lmHead: options.lmHead } : {}),
    },
    file,
  );
}
