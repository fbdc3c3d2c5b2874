/**
 * The engine's graph IR: typed values with static shapes, nodes, initializers, graph inputs and outputs.
 * Op builders (ops/*.ts) infer and check shapes when a node is added, so a graph that builds is well-formed;
 * serialize.ts turns it into an ONNX ModelProto.
 */

export type DataType = 'float32' | 'float64' | 'int64' | 'bool';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export interface Value {
  readonly graph: Graph;
  readonly name: string;
  readonly dtype: DataType;
  readonly shape: readonly number[];
}

export type Attribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: Initializer };

export interface Node {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly (Value | undefined)[];
  readonly outputs: readonly Value[];
  readonly attributes: ReadonlyMap<string, Attribute>;
}

export interface Initializer {
  readonly name: string;
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export interface OutputSpec {
  readonly dtype: DataType;
  readonly shape: readonly number[];
}

export const attr = {
  int: (value: number): Attribute => ({ type: 'int', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
};

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function isFloat(dtype: DataType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Host data for a dtype, from plain numbers. */
export function typedData(dtype: DataType, values: ArrayLike<number>): TensorData {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'float64') return Float64Array.from(values);
  if (dtype === 'int64') return BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return Uint8Array.from(values, (v) => (v ? 1 : 0));
}

/** Small constants (axes, shapes, scalars) are shared rather than duplicated. */
const constantCacheLimit = 64;

export class Graph {
  readonly name: string;
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers = new Map<string, Initializer>();
  private readonly values = new Map<string, Value>();
  private readonly producers = new Map<string, Node>();
  private readonly constantCache = new Map<string, Value>();
  private readonly nodeNames = new Set<string>();
  private counter = 0;

  constructor(name = 'graph') {
    this.name = name;
  }

  /** A fresh value name built from a hint; never collides with an existing value. */
  uniqueName(hint: string): string {
    let name = hint;
    while (this.values.has(name) || this.nodeNames.has(name)) name = `${hint}_${++this.counter}`;
    return name;
  }

  private nodeName(opType: string): string {
    const name = this.uniqueName(opType);
    this.nodeNames.add(name);
    return name;
  }

  private register(name: string, dtype: DataType, shape: readonly number[]): Value {
    if (this.values.has(name)) throw new Error(`graph "${this.name}": value name "${name}" is already used`);
    for (const dim of shape) {
      if (!Number.isInteger(dim) || dim < 0) {
        throw new Error(`graph "${this.name}": value "${name}" has an invalid shape ${formatShape(shape)}`);
      }
    }
    const value: Value = { graph: this, name, dtype, shape: [...shape] };
    this.values.set(name, value);
    return value;
  }

  input(name: string, dtype: DataType, shape: readonly number[]): Value {
    const value = this.register(name, dtype, shape);
    this.inputs.push(value);
    return value;
  }

  /** A constant tensor stored as an initializer. */
  constant(dtype: DataType, shape: readonly number[], values: ArrayLike<number> | TensorData, hint = 'const'): Value {
    const size = shape.reduce((count, dim) => count * dim, 1);
    if (values.length !== size) {
      throw new Error(`constant "${hint}" of shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
    }
    const small = size <= constantCacheLimit;
    const key = small ? `${dtype}|${shape.join(',')}|${Array.from(values as ArrayLike<number>).join(',')}` : '';
    const cached = small ? this.constantCache.get(key) : undefined;
    if (cached) return cached;
    const data =
      ArrayBuffer.isView(values) && typedMatches(dtype, values)
        ? (values as TensorData)
        : typedData(dtype, Array.from(values as ArrayLike<number>, Number));
    const value = this.register(this.uniqueName(hint), dtype, shape);
    this.initializers.set(value.name, { name: value.name, dtype, shape: [...shape], data });
    if (small) this.constantCache.set(key, value);
    return value;
  }

  scalar(value: number, dtype: DataType = 'float32'): Value {
    return this.constant(dtype, [], [value], 'scalar');
  }

  int64s(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values, 'ints');
  }

  /** Adds a node whose output types the caller (an op builder) has already inferred and checked. */
  addNode(
    opType: string,
    inputs: readonly (Value | undefined)[],
    outputs: readonly OutputSpec[],
    attributes: Record<string, Attribute> = {},
  ): Value[] {
    for (const input of inputs) {
      if (input && input.graph !== this) {
        throw new Error(`${opType}: input "${input.name}" belongs to graph "${input.graph.name}", not "${this.name}"`);
      }
    }
    const name = this.nodeName(opType);
    const outputValues = outputs.map((spec, index) =>
      this.register(this.uniqueName(`${name}_out${index}`), spec.dtype, spec.shape),
    );
    const node: Node = {
      opType,
      name,
      inputs: [...inputs],
      outputs: outputValues,
      attributes: new Map(Object.entries(attributes)),
    };
    this.nodes.push(node);
    for (const output of outputValues) this.producers.set(output.name, node);
    return outputValues;
  }

  /** Marks a value as a graph output; with a name, an Identity gives it that name. */
  output(value: Value, name?: string): Value {
    let result = value;
    if (name !== undefined && name !== value.name) {
      const node: Node = {
        opType: 'Identity',
        name: this.nodeName('Identity'),
        inputs: [value],
        outputs: [this.register(name, value.dtype, value.shape)],
        attributes: new Map(),
      };
      this.nodes.push(node);
      result = node.outputs[0] as Value;
      this.producers.set(result.name, node);
    }
    if (this.outputs.some((existing) => existing.name === result.name)) {
      throw new Error(`graph "${this.name}": "${result.name}" is already an output`);
    }
    this.outputs.push(result);
    return result;
  }

  producerOf(value: Value): Node | undefined {
    return this.producers.get(value.name);
  }

  valueNamed(name: string): Value | undefined {
    return this.values.get(name);
  }
}

function typedMatches(dtype: DataType, values: ArrayBufferView): boolean {
  if (dtype === 'float32') return values instanceof Float32Array;
  if (dtype === 'float64') return values instanceof Float64Array;
  if (dtype === 'int64') return values instanceof BigInt64Array;
  return values instanceof Uint8Array;
}
