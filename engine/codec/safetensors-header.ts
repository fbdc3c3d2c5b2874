/**
 * The safetensors header (github.com/huggingface/safetensors, "Format"): an 8-byte little-endian unsigned
 * length N, then N bytes of UTF-8 JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end]}
 * (offsets relative to the data that follows), plus an optional "__metadata__" string→string map. The data is
 * contiguous and without holes. Written headers are padded with spaces so the data starts 8-byte aligned, as
 * Hugging Face's writer does. The one parser and validator for both the streamed and the in-memory readers.
 */
import { elementCount } from '../tensor/parameter-set.ts';
import type { TensorSpec } from '../tensor/parameter-set.ts';

export type SafetensorsMetadata = Record<string, string>;

/** The dtypes read (all widened to float32); only F32 is written. */
export const safetensorsDtypeWidths = { F32: 4, F16: 2, BF16: 2 } as const;
export type SafetensorsDtype = keyof typeof safetensorsDtypeWidths;

export interface SafetensorsEntry extends TensorSpec {
  readonly dtype: SafetensorsDtype;
  /** Byte offset of the tensor's data from the start of the file. */
  readonly fileOffset: number;
  readonly byteLength: number;
}

export interface SafetensorsLayout {
  /** Tensors in data order (by offset). */
  readonly entries: readonly SafetensorsEntry[];
  readonly dataStart: number;
  /** Bytes of tensor data: the file is exactly dataStart + dataBytes long. */
  readonly dataBytes: number;
  readonly metadata: SafetensorsMetadata;
}

/** The format's limit on the header, which guards against a hostile file asking for a huge allocation. */
export const maxHeaderBytes = 100_000_000;

export function safetensorsHeader(specs: readonly TensorSpec[], metadata: SafetensorsMetadata = {}): Uint8Array {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new Error(`metadata "${key}" must be a string, got ${typeof value}`);
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const spec of specs) {
    if (spec.name === '__metadata__') throw new Error('a tensor may not be named "__metadata__"');
    const bytes = elementCount(spec.shape) * 4;
    header[spec.name] = { dtype: 'F32', shape: [...spec.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const out = new Uint8Array(8 + Buffer.byteLength(json));
  new DataView(out.buffer).setBigUint64(0, BigInt(out.length - 8), true);
  new TextEncoder().encodeInto(json, out.subarray(8));
  return out;
}

/** The header's length from the 8-byte prefix, checked against the bytes there are and the format's limit. */
export function headerLength(prefix: Uint8Array, available: number, source: string): number {
  if (prefix.length < 8) throw new Error(`${source}: not a safetensors file (shorter than its 8-byte header length)`);
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Math.min(maxHeaderBytes, available - 8))) {
    throw new Error(`${source}: header length ${length} exceeds the file or the 100 MB limit`);
  }
  return Number(length);
}

function parseJsonObject(json: Uint8Array, source: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error(`${source}: header is not a JSON object`);
  }
  return header as Record<string, unknown>;
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

interface RawEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function checkEntry(name: string, raw: unknown, source: string): RawEntry {
  const { dtype, shape, data_offsets: offsets } = (raw ?? {}) as Record<string, unknown>;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${source}: tensor "${name}" has an invalid shape`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
    throw new Error(`${source}: tensor "${name}" has invalid data_offsets`);
  }
  if (typeof dtype !== 'string' || !Object.hasOwn(safetensorsDtypeWidths, dtype)) {
    throw new Error(`${source}: tensor "${name}" has dtype ${String(dtype)}; only F32, F16 and BF16 are read`);
  }
  const width = safetensorsDtypeWidths[dtype as SafetensorsDtype];
  const [begin, end] = offsets as [number, number];
  if (end - begin !== elementCount(shape) * width) {
    throw new Error(`${source}: tensor "${name}" data_offsets [${begin}, ${end}] do not fit its shape and dtype`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape, begin, end };
}

/** Validates the JSON header; tensors must tile the data from offset 0 with no hole and no overlap. */
export function parseSafetensorsHeader(json: Uint8Array, dataStart: number, source: string): SafetensorsLayout {
  const header = parseJsonObject(json, source);
  const raw = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, value]) => checkEntry(name, value, source))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  const entries = raw.map(({ name, dtype, shape, begin, end }) => {
    if (begin < expected) throw new Error(`${source}: tensor "${name}" overlaps the tensor before it`);
    if (begin > expected) throw new Error(`${source}: tensor "${name}" starts at ${begin}, expected ${expected}`);
    expected = end;
    return { name, dtype, shape, fileOffset: dataStart + begin, byteLength: end - begin };
  });
  return { entries, dataStart, dataBytes: expected, metadata: readMetadata(header.__metadata__, source) };
}

/** The file or buffer must hold exactly the data its header describes. */
export function checkDataSize(layout: SafetensorsLayout, size: number, source: string): void {
  const first = layout.entries.find((entry) => entry.fileOffset + entry.byteLength > size);
  if (first) throw new Error(`${source}: tensor "${first.name}" runs past the end of the file (truncated)`);
  const extra = size - layout.dataStart - layout.dataBytes;
  if (extra > 0) throw new Error(`${source}: ${extra} bytes after the last tensor`);
}
