/**
 * Named float32 tensors: model parameters, gradients, updates. The order of a ParameterSet is its
 * insertion order and is part of its identity: flattening, hashing and the wire format follow it.
 */
export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type ParameterSet = ReadonlyMap<string, Float32Tensor>;

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

export function tensor(shape: readonly number[], data?: Float32Array | readonly number[]): Float32Tensor {
  const size = elementCount(shape);
  const values = data instanceof Float32Array ? data : data ? Float32Array.from(data) : new Float32Array(size);
  if (values.length !== size) {
    throw new Error(`tensor of shape [${shape.join(', ')}] needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

export function specOf(parameters: ParameterSet): TensorSpec[] {
  return [...parameters].map(([name, value]) => ({ name, shape: value.shape }));
}

export function totalElements(specs: readonly TensorSpec[]): number {
  return specs.reduce((sum, spec) => sum + elementCount(spec.shape), 0);
}

/** All values in one vector, in the set's order. */
export function flatten(parameters: ParameterSet): Float32Array {
  const flat = new Float32Array(totalElements(specOf(parameters)));
  let offset = 0;
  for (const value of parameters.values()) {
    flat.set(value.data, offset);
    offset += value.data.length;
  }
  return flat;
}

/** The inverse of flatten for a given spec; the tensors are copies, not views. */
export function unflatten(specs: readonly TensorSpec[], flat: Float32Array): Map<string, Float32Tensor> {
  const expected = totalElements(specs);
  if (flat.length !== expected) throw new Error(`expected ${expected} values for this spec, got ${flat.length}`);
  const result = new Map<string, Float32Tensor>();
  let offset = 0;
  for (const spec of specs) {
    const size = elementCount(spec.shape);
    result.set(spec.name, tensor(spec.shape, flat.slice(offset, offset + size)));
    offset += size;
  }
  return result;
}

/** Throws a message naming the first tensor whose name or shape differs from the spec. */
export function assertMatchesSpec(parameters: ParameterSet, specs: readonly TensorSpec[]): void {
  if (parameters.size !== specs.length) {
    throw new Error(`expected ${specs.length} tensors, got ${parameters.size}`);
  }
  for (const spec of specs) {
    const value = parameters.get(spec.name);
    if (!value) throw new Error(`missing tensor "${spec.name}"`);
    if (value.shape.join(',') !== spec.shape.join(',')) {
      throw new Error(
        `tensor "${spec.name}" has shape [${value.shape.join(', ')}], expected [${spec.shape.join(', ')}]`,
      );
    }
  }
}
