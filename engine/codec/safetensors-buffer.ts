/** Safetensors held whole in memory: checkpoints and pretrained imports small enough to read at once. */
import { elementCount } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { decodeTensorBytes, float32Bytes } from './safetensors-dtypes.ts';
import { checkDataSize, headerLength, parseSafetensorsHeader, safetensorsHeader } from './safetensors-header.ts';
import type { SafetensorsMetadata } from './safetensors-header.ts';

export interface SafetensorsContents {
  tensors: Map<string, Float32Tensor>;
  metadata: SafetensorsMetadata;
}

export function encodeSafetensors(tensors: ParameterSet, metadata: SafetensorsMetadata = {}): Uint8Array {
  for (const [name, value] of tensors) {
    if (value.data.length !== elementCount(value.shape)) {
      throw new Error(`tensor "${name}" has ${value.data.length} values for shape [${value.shape.join(', ')}]`);
    }
  }
  const header = safetensorsHeader(
    [...tensors].map(([name, value]) => ({ name, shape: value.shape })),
    metadata,
  );
  let dataBytes = 0;
  for (const value of tensors.values()) dataBytes += value.data.byteLength;
  const out = new Uint8Array(header.length + dataBytes);
  out.set(header, 0);
  let offset = header.length;
  for (const value of tensors.values()) {
    out.set(float32Bytes(value.data), offset);
    offset += value.data.byteLength;
  }
  return out;
}

/** Reads tensors in file order (by offset) as float32; the data must fill the bytes exactly. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  const length = headerLength(bytes.subarray(0, 8), bytes.length, source);
  const layout = parseSafetensorsHeader(bytes.subarray(8, 8 + length), 8 + length, source);
  checkDataSize(layout, bytes.length, source);
  const tensors = new Map<string, Float32Tensor>();
  for (const entry of layout.entries) {
    const data = decodeTensorBytes(entry.dtype, bytes.subarray(entry.fileOffset, entry.fileOffset + entry.byteLength));
    tensors.set(entry.name, { shape: [...entry.shape], data });
  }
  return { tensors, metadata: layout.metadata };
}
