/**
 * The plain update encoding "float32-le": every tensor's values as little-endian float32, in model-spec
 * order, nothing else. Decoding checks size and finiteness and names the first bad tensor and index.
 */
import { elementCount, totalElements, unflatten } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';

export function float32UpdateBytes(specs: readonly TensorSpec[]): number {
  return totalElements(specs) * 4;
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `values` at `offset` as little-endian float32: one block copy on a little-endian host. */
function putFloat32LittleEndian(bytes: Uint8Array, offset: number, values: Float32Array): void {
  if (hostIsLittleEndian) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, values.byteLength);
  for (let i = 0; i < values.length; i += 1) view.setFloat32(i * 4, values[i]!, true);
}

export function encodeFloat32Update(update: ParameterSet, specs: readonly TensorSpec[]): Uint8Array {
  const bytes = new Uint8Array(float32UpdateBytes(specs));
  let offset = 0;
  for (const spec of specs) {
    const value = update.get(spec.name);
    if (!value) throw new Error(`the update has no tensor "${spec.name}"`);
    if (value.data.length !== elementCount(spec.shape))
      throw new Error(`tensor "${spec.name}" does not match its spec`);
    putFloat32LittleEndian(bytes, offset, value.data);
    offset += value.data.byteLength;
  }
  return bytes;
}

/** Where element `index` of the flat update lies: which tensor and which element inside it. */
export function locateElement(specs: readonly TensorSpec[], index: number): { name: string; index: number } {
  let start = 0;
  for (const spec of specs) {
    const size = elementCount(spec.shape);
    if (index < start + size) return { name: spec.name, index: index - start };
    start += size;
  }
  return { name: '(past the end)', index };
}

/** Throws naming the first NaN or infinity; `firstIndex` is the flat index of values[0]. */
export function assertFinite(values: Float32Array, specs: readonly TensorSpec[], firstIndex = 0): void {
  for (let i = 0; i < values.length; i += 1) {
    if (!Number.isFinite(values[i])) {
      const where = locateElement(specs, firstIndex + i);
      throw new Error(`tensor "${where.name}" holds ${values[i]} at element ${where.index}`);
    }
  }
}

export function decodeFloat32Update(bytes: Uint8Array, specs: readonly TensorSpec[]): Map<string, Float32Tensor> {
  const expected = float32UpdateBytes(specs);
  if (bytes.length !== expected)
    throw new Error(`the update has ${bytes.length} bytes, the model spec needs ${expected}`);
  const values = littleEndianFloat32(bytes);
  assertFinite(values, specs);
  return unflatten(specs, values);
}

/** A Float32Array over little-endian bytes (copied when unaligned or on a big-endian host). */
export function littleEndianFloat32(bytes: Uint8Array): Float32Array {
  if (hostIsLittleEndian && bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i += 1) values[i] = view.getFloat32(i * 4, true);
  return values;
}
