/**
 * Writes a ParameterSet as a safetensors file (https://github.com/huggingface/safetensors, format
 * section): u64 little-endian header length N, N bytes of JSON
 * {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
 * padded with spaces to a multiple of 8 bytes, then the tensors' bytes back to back in set order.
 */
import type { ParameterSet } from '../tensor/parameter-set.ts';
import { bytesOf } from './update-format.ts';

export function writeSafetensors(
  parameters: ParameterSet,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, value] of parameters) {
    if (name === '__metadata__') throw new Error('a tensor cannot be named "__metadata__" in safetensors');
    header[name] = { dtype: 'F32', shape: value.shape, data_offsets: [offset, offset + value.data.byteLength] };
    offset += value.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const value of parameters.values()) {
    out.set(bytesOf(value.data), position);
    position += value.data.byteLength;
  }
  return out;
}
