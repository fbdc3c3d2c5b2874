/**
 * Reads a Hugging Face checkpoint (`model.safetensors`, F32 or BF16) and, when it sits beside it, `config.json`
 * (heads, LayerNorm epsilon, activation; GPT-2's or BERT's key names), and maps it onto our parameter names (engine/nn/
 * pretrained-weights.ts). Without config.json the number of heads must be given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importPretrained } from '../nn/pretrained-weights.ts';
import type { ImportedModel } from '../nn/pretrained-weights.ts';
import { decodeSafetensors } from '../codec/safetensors.ts';

export interface PretrainedOptions {
  heads?: number;
  lmHead?: string;
}

/** GPT-2 and BERT name the same settings differently. */
interface HuggingFaceConfig {
  n_head?: number;
  num_attention_heads?: number;
  layer_norm_epsilon?: number;
  layer_norm_eps?: number;
  activation_function?: string;
  hidden_act?: string;
}

export function loadPretrained(file: string, options: PretrainedOptions = {}): ImportedModel {
  if (!existsSync(file)) throw new Error(`${file}: no such checkpoint file`);
  const { tensors } = decodeSafetensors(readFileSync(file), file);
  const configPath = join(dirname(file), 'config.json');
  const config: HuggingFaceConfig = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as HuggingFaceConfig)
    : {};
  const heads = options.heads ?? config.n_head ?? config.num_attention_heads;
  const epsilon = config.layer_norm_epsilon ?? config.layer_norm_eps;
  const activation = config.activation_function ?? config.hidden_act;
  if (!heads) throw new Error(`${file}: the number of attention heads is unknown: give it, or put config.json beside`);
  return importPretrained(
    tensors,
    {
      heads,
      ...(epsilon ? { layerNormEpsilon: epsilon } : {}),
      ...(activation ? { activation } : {}),
      ...(options.lmHead ? { lmHead: options.lmHead } : {}),
    },
    file,
  );
}
