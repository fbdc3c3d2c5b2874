/**
 * Reads a safetensors file into float32 parameters: F32 as is, F16, BF16 and F64 converted (models
 * are often shipped in half precision; training runs in float32). Integer and 8-bit float tensors
 * are refused by name. The header is validated as the reference implementation does: size limit,
 * JSON, known dtypes, shapes that fit their byte ranges, and ranges that tile the data exactly.
 */
import { elementCount, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';

/** The reference implementation refuses headers over 100 MB. */
export const maxSafetensorsHeaderBytes = 100_000_000;

const dtypeBytes: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Where the data section starts in the file. */
  readonly dataOffset: number;
}

function parseEntry(name: string, raw: unknown): SafetensorsEntry {
  const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const { dtype, shape, data_offsets: offsets } = entry ?? {};
  if (typeof dtype !== 'string' || !(dtype in dtypeBytes))
    throw new Error(`safetensors tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
  const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw new Error(`safetensors tensor "${name}" has an invalid shape`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new Error(`safetensors tensor "${name}" has invalid data_offsets`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = elementCount(shape as number[]) * (dtypeBytes[dtype] as number);
  if (end - begin !== expected) {
    throw new Error(
      `safetensors tensor "${name}" of shape [${shape.join(', ')}] ${dtype} needs ${expected} bytes, its data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function headerJson(bytes: Uint8Array): { json: Record<string, unknown>; dataOffset: number } {
  if (bytes.length < 8) throw new Error(`safetensors file is ${bytes.length} bytes, too short for its header length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(maxSafetensorsHeaderBytes))
    throw new Error(`safetensors header of ${length} bytes is over the limit of ${maxSafetensorsHeaderBytes}`);
  if (Number(length) > bytes.length - 8)
    throw new Error(`safetensors header of ${length} bytes runs past the end of the ${bytes.length}-byte file`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(length))));
  } catch (error) {
    throw new Error(`safetensors header is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('safetensors header is not a JSON object');
  return { json: json as Record<string, unknown>, dataOffset: 8 + Number(length) };
}

export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const { json, dataOffset } = headerJson(bytes);
  const { __metadata__: rawMetadata, ...tensors } = json;
  const metadata = (rawMetadata ?? {}) as Record<string, string>;
  if (typeof metadata !== 'object' || Object.values(metadata).some((value) => typeof value !== 'string')) {
    throw new Error('safetensors __metadata__ must map strings to strings');
  }
  const entries = Object.entries(tensors)
    .map(([name, raw]) => parseEntry(name, raw))
    .sort((a, b) => a.begin - b.begin);
  let expectedBegin = 0;
  for (const entry of entries) {
    if (entry.begin !== expectedBegin)
      throw new Error(
        `safetensors tensor "${entry.name}" starts at byte ${entry.begin}, expected ${expectedBegin} (overlap or gap)`,
      );
    expectedBegin = entry.end;
  }
  if (dataOffset + expectedBegin !== bytes.length) {
    throw new Error(
      `safetensors data section is ${bytes.length - dataOffset} bytes, the header describes ${expectedBegin}`,
    );
  }
  return { entries, metadata, dataOffset };
}

function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function toFloat32(entry: SafetensorsEntry, data: DataView): Float32Array {
  const count = elementCount(entry.shape);
  const out = new Float32Array(count);
  const bf16 = new Uint32Array(1);
  const bf16AsFloat = new Float32Array(bf16.buffer);
  for (let i = 0; i < count; i++) {
    if (entry.dtype === 'F32') out[i] = data.getFloat32(i * 4, true);
    else if (entry.dtype === 'F64') out[i] = data.getFloat64(i * 8, true);
    else if (entry.dtype === 'F16') out[i] = float16ToFloat32(data.getUint16(i * 2, true));
    else {
      bf16[0] = data.getUint16(i * 2, true) << 16; // bfloat16 is the top half of a float32
      out[i] = bf16AsFloat[0] as number;
    }
  }
  return out;
}

/** Every tensor as float32, in file (data offset) order, with the file's metadata. */
export function readSafetensors(bytes: Uint8Array): {
  tensors: Map<string, Float32Tensor>;
  metadata: Record<string, string>;
} {
  const header = readSafetensorsHeader(bytes);
  const tensors = new Map<string, Float32Tensor>();
  for (const entry of header.entries) {
    if (!['F32', 'F64', 'F16', 'BF16'].includes(entry.dtype)) {
      throw new Error(
        `safetensors tensor "${entry.name}" has dtype ${entry.dtype}; only F32, F64, F16 and BF16 can be read as parameters`,
      );
    }
    const view = new DataView(
      bytes.buffer,
      bytes.byteOffset + header.dataOffset + entry.begin,
      entry.end - entry.begin,
    );
    tensors.set(entry.name, tensor(entry.shape, toFloat32(entry, view)));
  }
  return { tensors, metadata: { ...header.metadata } };
}
