/**
 * Decodes and validates an update against the model spec. Every refusal names what is wrong: the
 * size limit, truncation (what was being read, where), magic and version, unknown, repeated or
 * missing tensors, shapes, encodings, sparse indices, scales and NaN/Inf values.
 */
import { elementCount, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, TensorSpec } from '../tensor/parameter-set.ts';
import { ByteReader } from './byte-reader.ts';
import { dequantizeInt8 } from './int8-quantization.ts';
import { defaultMaxUpdateBytes, tensorEncodings, updateFormatVersion, updateMagic } from './update-format.ts';
import type { DecodeUpdate, DecodedUpdate } from './update-codec.ts';

function readHeader(reader: ByteReader, maxTensors: number): number {
  const magic = new TextDecoder().decode(reader.bytes(4, 'the magic bytes'));
  if (magic !== updateMagic)
    throw new Error(`not an Accord update: magic bytes are ${JSON.stringify(magic)}, expected "${updateMagic}"`);
  const version = reader.u16('the format version');
  if (version !== updateFormatVersion) {
    throw new Error(
      `update format version ${version} is not supported (this build reads version ${updateFormatVersion})`,
    );
  }
  reader.u16('the reserved field');
  const count = reader.u32('the tensor count');
  if (count > maxTensors) throw new Error(`update declares ${count} tensors, the model has ${maxTensors}`);
  return count;
}

function readInt8Block(reader: ByteReader, count: number, name: string): Float32Array {
  const chunkSize = reader.u32(`the int8 chunk size of tensor "${name}"`);
  if (chunkSize === 0) throw new Error(`tensor "${name}": int8 chunk size is 0`);
  const scales = reader.float32s(Math.ceil(count / chunkSize), `the int8 scales of tensor "${name}"`);
  const badScale = scales.findIndex((scale) => !(Number.isFinite(scale) && scale >= 0));
  if (badScale >= 0)
    throw new Error(`tensor "${name}": int8 scale ${badScale} is ${scales[badScale]}, not a finite value ≥ 0`);
  return dequantizeInt8({ chunkSize, scales, values: reader.int8s(count, `the int8 values of tensor "${name}"`) });
}

function readSparseIndices(reader: ByteReader, size: number, name: string): Uint32Array {
  const count = reader.u32(`the kept-entry count of tensor "${name}"`);
  if (count > size) throw new Error(`tensor "${name}" keeps ${count} entries but has only ${size}`);
  const indices = reader.uint32s(count, `the indices of tensor "${name}"`);
  for (let j = 0; j < indices.length; j++) {
    const index = indices[j] as number;
    if (index >= size || (j > 0 && index <= (indices[j - 1] as number))) {
      throw new Error(`tensor "${name}": sparse index ${index} at position ${j} is out of range or not increasing`);
    }
  }
  return indices;
}

function readValues(reader: ByteReader, encoding: number, size: number, name: string): Float32Array {
  const kind = tensorEncodings[encoding];
  if (kind === undefined) throw new Error(`tensor "${name}" has unknown encoding ${encoding}`);
  const readDense = (count: number) =>
    kind.endsWith('int8')
      ? readInt8Block(reader, count, name)
      : reader.float32s(count, `the values of tensor "${name}"`);
  if (kind.startsWith('dense')) return readDense(size);
  const indices = readSparseIndices(reader, size, name);
  const kept = readDense(indices.length);
  const values = new Float32Array(size);
  for (let j = 0; j < indices.length; j++) values[indices[j] as number] = kept[j] as number;
  return values;
}

function assertFinite(values: Float32Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new Error(`tensor "${name}" has a non-finite value (${values[i]}) at index ${i}`);
  }
}

function readTensor(reader: ByteReader, specs: Map<string, TensorSpec>, seen: Map<string, Float32Tensor>) {
  const nameBytes = reader.bytes(reader.u16('a tensor name length'), 'a tensor name');
  const name = new TextDecoder('utf-8', { fatal: false }).decode(nameBytes);
  const spec = specs.get(name);
  if (!spec) throw new Error(`unknown tensor "${name}" (not in the model spec)`);
  if (seen.has(name)) throw new Error(`tensor "${name}" appears twice`);
  const rank = reader.u8(`the rank of tensor "${name}"`);
  const shape = Array.from({ length: rank }, () => reader.u32(`the shape of tensor "${name}"`));
  if (shape.join(',') !== spec.shape.join(',')) {
    throw new Error(`tensor "${name}" has shape [${shape.join(', ')}], the model expects [${spec.shape.join(', ')}]`);
  }
  const values = readValues(reader, reader.u8(`the encoding of tensor "${name}"`), elementCount(shape), name);
  assertFinite(values, name);
  seen.set(name, tensor(shape, values));
}

export function createUpdateDecoder(options: { maxBytes?: number } = {}): DecodeUpdate {
  const maxBytes = options.maxBytes ?? defaultMaxUpdateBytes;
  return (bytes: Uint8Array, spec: readonly TensorSpec[]): DecodedUpdate => {
    if (bytes.length > maxBytes)
      throw new Error(`update is ${bytes.length} bytes, over the limit of ${maxBytes} bytes`);
    const reader = new ByteReader(bytes);
    const specs = new Map(spec.map((entry) => [entry.name, entry]));
    const count = readHeader(reader, specs.size);
    const seen = new Map<string, Float32Tensor>();
    for (let t = 0; t < count; t++) readTensor(reader, specs, seen);
    if (reader.remaining > 0) throw new Error(`${reader.remaining} unexpected bytes after the last tensor`);
    const decoded: DecodedUpdate = new Map();
    for (const entry of spec) {
      const value = seen.get(entry.name);
      if (!value) throw new Error(`missing tensor "${entry.name}"`);
      decoded.set(entry.name, value);
    }
    return decoded;
  };
}

export const decodeUpdate: DecodeUpdate = createUpdateDecoder();
