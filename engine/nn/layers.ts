/**
 * Basic layers over 2-D activations [rows, features]. Weights are stored [in, out] so a layer is one Gemm
 * (x·W + b) and its backward needs no Transpose. Parameter names are `${name}.weight` and `${name}.bias`.
 */
import type { Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { init } from './init.ts';
import type { ModelScope } from './scope.ts';

/** Standard deviation of weight initialization (GPT-2 and BERT use 0.02). */
export const initStd = 0.02;

/** x·W + b, times `scale` when given (folded into Gemm's alpha and beta, so it costs no extra pass). */
export function linear(scope: ModelScope, name: string, x: Value, outFeatures: number, scale = 1): Value {
  const inFeatures = x.shape[x.shape.length - 1] as number;
  const weight = scope.parameter(`${name}.weight`, [inFeatures, outFeatures], init.normal(initStd));
  const bias = scope.parameter(`${name}.bias`, [outFeatures], init.zeros());
  const output = op.gemm(x, weight, bias, scale === 1 ? {} : { alpha: scale, beta: scale });
  return scope.recordLayer({ kind: 'linear', name, input: x, output, parameters: [weight.name, bias.name] });
}

export function layerNorm(scope: ModelScope, name: string, x: Value, epsilon = 1e-5): Value {
  const width = x.shape[x.shape.length - 1] as number;
  const scale = scope.parameter(`${name}.weight`, [width], init.ones());
  const bias = scope.parameter(`${name}.bias`, [width], init.zeros());
  const output = op.layerNormalization(x, scale, bias, epsilon).output;
  return scope.recordLayer({ kind: 'layer_norm', name, input: x, output, parameters: [scale.name, bias.name] });
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
