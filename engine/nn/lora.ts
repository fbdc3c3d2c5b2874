/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"): a targeted linear layer
 * y = x·W + b gains a low-rank branch (alpha/rank)·(x·A)·B with A [in, rank] and B [rank, out]; B starts at zero
 * so the adapted model starts equal to the base (section 4.1). The base stays frozen: only `*.lora_a` and
 * `*.lora_b` get gradients, are updated and are exchanged with the federation. Merging folds the branch into W
 * (W + (alpha/rank)·A·B) for export, after which the model needs no adapter at all.
 *
 * Target modules are matched against a linear layer's name (`trunk.layers.0.attention.query`): a pattern
 * without dots matches the last part of the name (`query`, `value`, `up`), a pattern with dots matches the whole
 * name, and `*` stands for one dotted part (`trunk.layers.*.attention.query`).
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { init } from './init.ts';
import type { ModelScope } from './scope.ts';

export interface LoraConfig {
  readonly rank: number;
  readonly alpha: number;
  readonly targetModules: readonly string[];
}

export function validateLoraConfig(config: LoraConfig): void {
  if (!Number.isInteger(config.rank) || config.rank < 1)
    throw new Error(`LoRA rank must be a positive integer, got ${config.rank}`);
  if (!(config.alpha > 0)) throw new Error(`LoRA alpha must be above 0, got ${config.alpha}`);
  if (config.targetModules.length === 0) throw new Error('LoRA needs at least one target module pattern');
}

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((part) => (part === '*' ? '[^.]+' : part.replace(/[\\^$+?()[\]{}|]/g, '\\$&')))
    .join('\\.');
  return pattern.includes('.') ? new RegExp(`^${body}$`) : new RegExp(`(^|\\.)${body}$`);
}

export function isLoraTarget(config: LoraConfig, layerName: string): boolean {
  return config.targetModules.some((pattern) => patternRegex(pattern).test(layerName));
}

export const isLoraParameter = (name: string): boolean => /\.lora_[ab]$/.test(name);

/** output + layerScale·(alpha/rank)·(x·A)·B for a targeted layer whose output is layerScale·(x·W + b). */
export function loraBranch(
  scope: ModelScope,
  name: string,
  x: Value,
  output: Value,
  config: LoraConfig,
  layerScale = 1,
): Value {
  const inFeatures = x.shape[x.shape.length - 1] as number;
  const outFeatures = output.shape[output.shape.length - 1] as number;
  const a = scope.parameter(`${name}.lora_a`, [inFeatures, config.rank], init.normal(1 / Math.sqrt(inFeatures)));
  const b = scope.parameter(`${name}.lora_b`, [config.rank, outFeatures], init.zeros());
  return op.gemm(op.gemm(x, a), b, output, { alpha: (layerScale * config.alpha) / config.rank });
}

/** The tensors a LoRA participant trains and exchanges: the adapters only. */
export function loraParameters(parameters: ParameterSet): Map<string, Float32Tensor> {
  return new Map([...parameters].filter(([name]) => isLoraParameter(name)));
}

/** Base parameters with every adapter folded into its weight: W + (alpha/rank)·A·B; adapters dropped. */
export function mergeLora(parameters: ParameterSet, config: LoraConfig): Map<string, Float32Tensor> {
  const merged = new Map<string, Float32Tensor>();
  for (const [name, value] of parameters) {
    if (!isLoraParameter(name)) merged.set(name, tensor(value.shape, value.data.slice()));
  }
  const scale = config.alpha / config.rank;
  for (const [name, a] of parameters) {
    if (!name.endsWith('.lora_a')) continue;
    const layer = name.slice(0, -'.lora_a'.length);
    const b = parameters.get(`${layer}.lora_b`);
    const weight = merged.get(`${layer}.weight`);
    if (!b || !weight) throw new Error(`LoRA adapter "${name}" has no matching lora_b or base weight`);
    const [inFeatures, rank] = a.shape as [number, number];
    const outFeatures = b.shape[1] as number;
    for (let i = 0; i < inFeatures; i += 1) {
      for (let k = 0; k < rank; k += 1) {
        const aik = scale * (a.data[i * rank + k] as number);
        for (let j = 0; j < outFeatures; j += 1)
          weight.data[i * outFeatures + j]! += aik * b.data[k * outFeatures + j]!;
      }
    }
  }
  return merged;
}
