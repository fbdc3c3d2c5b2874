/**
 * Basic layers over 2-D activations [rows, features]. Weights are stored [in, out] so a layer is one Gemm
 * (x·W + b) and its backward needs no Transpose. Parameter names are `${name}.weight` and `${name}.bias`.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { init } from './init.ts';
import { isLoraTarget, loraBranch } from './lora.ts';
import type { ModelScope } from './scope.ts';

/** Standard deviation of weight initialization (GPT-2 and BERT use 0.02). */
export const initStd = 0.02;

/**
 * x·W + b, times `scale` when given (folded into Gemm's alpha and beta, so it costs no extra pass). With
 * `withBias` false the layer is x·W alone and has no `${name}.bias` (the Llama family's projections).
 */
export function linear(
  scope: ModelScope,
  name: string,
  x: Value,
  outFeatures: number,
  scale = 1,
  withBias = true,
): Value {
  const inFeatures = x.shape[x.shape.length - 1] as number;
  const weight = scope.parameter(`${name}.weight`, [inFeatures, outFeatures], init.normal(initStd));
  const bias = withBias ? scope.parameter(`${name}.bias`, [outFeatures], init.zeros()) : undefined;
  const base = op.gemm(x, weight, bias, scale === 1 ? {} : { alpha: scale, beta: scale });
  const output = scope.recordLayer({
    kind: 'linear',
    name,
    input: x,
    output: base,
    parameters: bias ? [weight.name, bias.name] : [weight.name],
  });
  if (!scope.lora || !isLoraTarget(scope.lora, name)) return output;
  // Scaled like the base (the query's 1/√Dh), so that merging A·B into W gives the same layer.
  return loraBranch(scope, name, x, output, scope.lora, scale);
}

export function layerNorm(scope: ModelScope, name: string, x: Value, epsilon = 1e-5): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const scale = scope.parameter(`${name}.weight`, [width], init.ones());
  const bias = scope.parameter(`${name}.bias`, [width], init.zeros());
  const output = op.layerNormalization(x, scale, bias, epsilon).output;
  return scope.recordLayer({ kind: 'layer_norm', name, input: x, output, parameters: [scale.name, bias.name] });
}

/**
 * RMSNorm (Zhang and Sennrich 2019, as Llama uses it): x / √(mean(x²) + ε) · w over the last axis, no centring and
 * no bias. Composed from primitives, so it needs no gradient rule of its own.
 */
export function rmsNorm(scope: ModelScope, name: string, x: Value, epsilon = 1e-6): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const scale = scope.parameter(`${name}.weight`, [width], init.ones());
  const meanSquare = op.reduceMean(op.mul(x, x), [-1], true);
  const output = op.mul(op.mul(x, op.reciprocal(op.sqrt(op.add(meanSquare, epsilon)))), scale);
  return scope.recordLayer({ kind: 'layer_norm', name, input: x, output, parameters: [scale.name] });
}

/** Token embedding lookup: ids [...] → [..., dim]. */
export function embedding(scope: ModelScope, name: string, ids: Value, vocabSize: number, dim: number): Value {
  const table = scope.parameter(`${name}.weight`, [vocabSize, dim], init.normal(initStd));
  const output = op.gather(table, ids);
  return scope.recordLayer({ kind: 'embedding', name, input: ids, output, parameters: [table.name] });
}

/** Learned positions for the first `length` positions of a table of `maxLength`: [length, dim]. */
export function positionEmbedding(
  scope: ModelScope,
  name: string,
  maxLength: number,
  length: number,
  dim: number,
): Value {
  const table = scope.parameter(`${name}.weight`, [maxLength, dim], init.normal(initStd));
  return length === maxLength ? table : op.slice(table, [0], [length], [0]);
}

export interface MlpOptions {
  readonly hidden: number;
  readonly gelu: 'none' | 'tanh';
}

/** Linear → GELU → Linear (`${name}.up`, `${name}.down`). */
export function geluMlp(scope: ModelScope, name: string, x: Value, options: MlpOptions): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const hidden = op.gelu(linear(scope, `${name}.up`, x, options.hidden), options.gelu);
  return linear(scope, `${name}.down`, hidden, width);
}
