/**
 * ModelScope: what a model definition builds against. Parameters become graph INPUTS (not initializers), so one
 * session serves every step with new values; their names, shapes and initializers are recorded in order, which
 * fixes the ParameterSet's order and the seeded initialization. Dropout sites become mask inputs.
 */
import type { DataType, Graph, Value } from '../graph/ir.ts';
import * as op from '../graph/ops/index.ts';
import { elementCount, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { SeededRandom } from '../random/seeded-random.ts';
import { fillInitial } from './init.ts';
import type { Initializer } from './init.ts';
import type { LoraConfig } from './lora.ts';

export interface ParameterRecord extends TensorSpec {
  readonly initializer: Initializer;
}

/**
 * Where a parameterized layer sits in the graph: its input and output values. DP-SGD's per-example gradient
 * norms use them (for a linear layer, ∇W_i = x_iᵀ·g_i with g the gradient w.r.t. the output).
 */
export interface LayerSite {
  readonly kind: 'linear' | 'layer_norm' | 'embedding';
  readonly name: string;
  readonly input: Value;
  readonly output: Value;
  readonly parameters: readonly string[];
}

export interface DropoutSite {
  readonly name: string;
  readonly shape: readonly number[];
}

export class ModelScope {
  readonly graph: Graph;
  readonly dropoutRate: number;
  /** float32 for training; float64 only to check gradients against finite differences. */
  readonly dtype: 'float32' | 'float64';
  readonly parameters: ParameterRecord[] = [];
  readonly parameterValues = new Map<string, Value>();
  readonly dropoutSites: DropoutSite[] = [];
  readonly layers: LayerSite[] = [];
  /** When set, targeted linear layers gain LoRA adapters (engine/nn/lora.ts). */
  lora: LoraConfig | undefined;

  constructor(graph: Graph, dropoutRate = 0, dtype: 'float32' | 'float64' = 'float32') {
    this.graph = graph;
    this.dropoutRate = dropoutRate;
    this.dtype = dtype;
  }

  parameter(name: string, shape: readonly number[], initializer: Initializer): Value {
    if (this.parameterValues.has(name)) throw new Error(`parameter "${name}" is defined twice`);
    const value = this.graph.input(name, this.dtype, shape);
    this.parameters.push({ name, shape: [...shape], initializer });
    this.parameterValues.set(name, value);
    return value;
  }

  recordLayer(site: LayerSite): Value {
    this.layers.push(site);
    return site.output;
  }

  /** x ⊙ mask with the mask a graph input (made from a seed on the host); x itself when the rate is 0. */
  dropout(x: Value, site: string): Value {
    if (this.dropoutRate === 0) return x;
    const name = `dropout.${site}`;
    this.dropoutSites.push({ name, shape: [...x.shape] });
    return op.mul(x, this.graph.input(name, this.dtype as DataType, x.shape));
  }
}

/** Fresh parameters for the recorded specs, identical for a seed. */
export function initializeParameters(records: readonly ParameterRecord[], seed: number): Map<string, Float32Tensor> {
  const random = new SeededRandom(seed);
  const parameters = new Map<string, Float32Tensor>();
  for (const record of records) {
    parameters.set(
      record.name,
      tensor(record.shape, fillInitial(record.initializer, elementCount(record.shape), random)),
    );
  }
  return parameters;
}

export function specsOf(records: readonly ParameterRecord[]): TensorSpec[] {
  return records.map(({ name, shape }) => ({ name, shape }));
}

export type { ParameterSet };
