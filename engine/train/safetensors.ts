/**
 * The safetensors format (github.com/huggingface/safetensors, "Format"): an 8-byte little-endian unsigned
 * header length N; N bytes of UTF-8 JSON mapping each tensor name to {dtype, shape, data_offsets: [begin,
 * end]} (offsets relative to the byte buffer that follows), plus an optional "__metadata__" string→string
 * map; then the little-endian tensor bytes, contiguous and without holes. The header is padded with spaces
 * to a multiple of 8 so that every float32 tensor starts aligned, as Hugging Face's writer does.
 */
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';
import { elementCount } from '../tensor/parameter-set.ts';

export type SafetensorsMetadata = Record<string, string>;

export interface SafetensorsContents {
  tensors: Map<string, Float32Tensor>;
  metadata: SafetensorsMetadata;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** The spec's limit on the header, which guards against a hostile file asking for a huge allocation. */
const maxHeaderBytes = 100_000_000;
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function headerFor(tensors: ParameterSet, metadata: SafetensorsMetadata): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, value] of tensors) {
    if (name === '__metadata__') throw new Error('a tensor may not be named "__metadata__"');
    if (value.data.length !== elementCount(value.shape)) {
      throw new Error(`tensor "${name}" has ${value.data.length} values for shape [${value.shape.join(', ')}]`);
    }
    const bytes = value.data.length * 4;
    header[name] = { dtype: 'F32', shape: [...value.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = JSON.stringify(header);
  const padded = json + ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  return new TextEncoder().encode(padded);
}

export function encodeSafetensors(tensors: ParameterSet, metadata: SafetensorsMetadata = {}): Uint8Array {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new Error(`metadata "${key}" must be a string, got ${typeof value}`);
  }
  const header = headerFor(tensors, metadata);
  let dataBytes = 0;
  for (const value of tensors.values()) dataBytes += value.data.length * 4;
  const out = new Uint8Array(8 + header.length + dataBytes);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let offset = 8 + header.length;
  for (const value of tensors.values()) {
    if (littleEndian) {
      out.set(new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength), offset);
    } else {
      value.data.forEach((x, i) => view.setFloat32(offset + 4 * i, x, true));
    }
    offset += value.data.byteLength;
  }
  return out;
}

function readHeader(bytes: Uint8Array, source: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) throw new Error(`${source}: not a safetensors file (shorter than its 8-byte header length)`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Math.min(maxHeaderBytes, bytes.length - 8))) {
    throw new Error(`${source}: header length ${length} exceeds the file or the 100 MB limit`);
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(length)));
  if (!text.startsWith('{')) throw new Error(`${source}: header is not a JSON object`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error(`${source}: header is not a JSON object`);
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + Number(length) };
}

function checkEntry(name: string, raw: unknown, source: string): HeaderEntry {
  const entry = raw as Partial<HeaderEntry>;
  const shape = entry?.shape;
  const offsets = entry?.data_offsets;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${source}: tensor "${name}" has an invalid shape`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
    throw new Error(`${source}: tensor "${name}" has invalid data_offsets`);
  }
  if (entry.dtype !== 'F32' && entry.dtype !== 'BF16') {
    throw new Error(`${source}: tensor "${name}" has dtype ${String(entry.dtype)}; only F32 and BF16 are read`);
  }
  const width = entry.dtype === 'F32' ? 4 : 2;
  if (offsets[1] - offsets[0] !== elementCount(shape) * width) {
    throw new Error(`${source}: tensor "${name}" data_offsets [${offsets.join(', ')}] do not fit its shape and dtype`);
  }
  return entry as HeaderEntry;
}

function readMetadata(raw: unknown, source: string): SafetensorsMetadata {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`${source}: __metadata__ is not a string map`);
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw new Error(`${source}: __metadata__ "${key}" is not a string`);
  }
  return { ...(raw as SafetensorsMetadata) };
}

function decodeValues(entry: HeaderEntry, bytes: Uint8Array, start: number): Float32Array {
  const count = elementCount(entry.shape);
  const values = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, entry.data_offsets[1] - entry.data_offsets[0]);
  if (entry.dtype === 'BF16') {
    const widened = new Uint32Array(values.buffer);
    for (let i = 0; i < count; i++) widened[i] = view.getUint16(2 * i, true) << 16;
  } else if (littleEndian) {
    new Uint8Array(values.buffer).set(bytes.subarray(start, start + 4 * count));
  } else {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
  }
  return values;
}

/** Reads tensors in file order (by offset); the data must be contiguous and fill the file exactly. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContents {
  const { header, dataStart } = readHeader(bytes, source);
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]) => [name, checkEntry(name, raw, source)] as const)
    .sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let expected = 0;
  const tensors = new Map<string, Float32Tensor>();
  for (const [name, entry] of entries) {
    const [begin, end] = entry.data_offsets;
    if (begin !== expected) throw new Error(`${source}: tensor "${name}" starts at ${begin}, expected ${expected}`);
    if (dataStart + end > bytes.length) throw new Error(`${source}: tensor "${name}" runs past the end of the file`);
    tensors.set(name, { shape: [...entry.shape], data: decodeValues(entry, bytes, dataStart + begin) });
    expected = end;
  }
  if (dataStart + expected !== bytes.length) {
    throw new Error(`${source}: ${bytes.length - dataStart - expected} bytes after the last tensor`);
  }
  return { tensors, metadata: readMetadata(header.__metadata__, source) };
}
