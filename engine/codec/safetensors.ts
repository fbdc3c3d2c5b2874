/**
 * The safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw data. Only F32 is read or written here. Files
 * are written and read tensor by tensor so that a model never has to be held twice.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { elementCount, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';

export interface SafetensorsEntry extends TensorSpec {
  /** Byte offset of the tensor's data in the file. */
  readonly fileOffset: number;
  readonly byteLength: number;
}

export interface SafetensorsLayout {
  /** Tensors in data order (the order they were written). */
  readonly entries: readonly SafetensorsEntry[];
  readonly dataStart: number;
  readonly metadata: Readonly<Record<string, string>>;
}

const maxHeaderBytes = 100 * 1024 * 1024;

export function safetensorsHeader(specs: readonly TensorSpec[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const spec of specs) {
    const bytes = elementCount(spec.shape) * 4;
    header[spec.name] = { dtype: 'F32', shape: spec.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([prefix, Buffer.from(json, 'utf8')]);
}

export function parseSafetensorsHeader(prefix: Uint8Array, json: string, source: string): SafetensorsLayout {
  const dataStart = prefix.length + Buffer.byteLength(json);
  let header: Record<string, { dtype?: unknown; shape?: unknown; data_offsets?: unknown }>;
  try {
    header = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: the safetensors header is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const shape = value.shape;
    const offsets = value.data_offsets;
    if (value.dtype !== 'F32')
      throw new Error(`${source}: tensor "${name}" has dtype ${String(value.dtype)}, expected F32`);
    if (!Array.isArray(shape) || !shape.every((dim) => Number.isInteger(dim) && dim >= 0)) {
      throw new Error(`${source}: tensor "${name}" has an invalid shape`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets[1] - offsets[0] !== elementCount(shape) * 4) {
      throw new Error(`${source}: tensor "${name}" has data_offsets that do not match its shape`);
    }
    entries.push({ name, shape, fileOffset: dataStart + offsets[0], byteLength: offsets[1] - offsets[0] });
  }
  entries.sort((a, b) => a.fileOffset - b.fileOffset);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  return { entries, dataStart, metadata };
}

export async function readSafetensorsLayout(file: FileHandle, source: string): Promise<SafetensorsLayout> {
  const prefix = Buffer.alloc(8);
  await file.read(prefix, 0, 8, 0);
  const length = Number(prefix.readBigUInt64LE());
  if (length > maxHeaderBytes) throw new Error(`${source}: safetensors header of ${length} bytes is too large`);
  const json = Buffer.alloc(length);
  const { bytesRead } = await file.read(json, 0, length, 8);
  if (bytesRead !== length) throw new Error(`${source}: the file ends inside its safetensors header`);
  return parseSafetensorsHeader(prefix, json.toString('utf8'), source);
}

/** Reads every tensor; with a spec, the result follows the spec's order and must match it exactly. */
export async function readSafetensorsFile(
  path: string,
  specs?: readonly TensorSpec[],
): Promise<Map<string, Float32Tensor>> {
  const file = await open(path, 'r');
  try {
    const layout = await readSafetensorsLayout(file, path);
    const byName = new Map(layout.entries.map((entry) => [entry.name, entry]));
    const order = specs ?? layout.entries;
    if (specs && specs.length !== layout.entries.length) {
      throw new Error(`${path}: holds ${layout.entries.length} tensors, the model spec has ${specs.length}`);
    }
    const result = new Map<string, Float32Tensor>();
    for (const spec of order) {
      const entry = byName.get(spec.name);
      if (!entry) throw new Error(`${path}: missing tensor "${spec.name}"`);
      if (entry.shape.join(',') !== spec.shape.join(',')) {
        throw new Error(`${path}: tensor "${spec.name}" has shape [${entry.shape}], expected [${spec.shape}]`);
      }
      const data = new Float32Array(elementCount(entry.shape));
      await file.read(new Uint8Array(data.buffer), 0, entry.byteLength, entry.fileOffset);
      result.set(spec.name, tensor(entry.shape, data));
    }
    return result;
  } finally {
    await file.close();
  }
}

export async function writeSafetensorsFile(
  path: string,
  parameters: ParameterSet,
  metadata?: Record<string, string>,
): Promise<void> {
  const specs = [...parameters].map(([name, value]) => ({ name, shape: value.shape }));
  const writer = await SafetensorsWriter.create(path, specs, metadata);
  for (const value of parameters.values()) await writer.append(value.data);
  await writer.close();
}

/** Writes a file tensor data first to last, in pieces of any size: a model is never held whole. */
export class SafetensorsWriter {
  readonly #file: FileHandle;
  readonly #expectedBytes: number;
  #position: number;
  #written = 0;

  private constructor(file: FileHandle, headerBytes: number, expectedBytes: number) {
    this.#file = file;
    this.#position = headerBytes;
    this.#expectedBytes = expectedBytes;
  }

  static async create(
    path: string,
    specs: readonly TensorSpec[],
    metadata?: Record<string, string>,
  ): Promise<SafetensorsWriter> {
    const header = safetensorsHeader(specs, metadata);
    const file = await open(path, 'w');
    await file.write(header, 0, header.length, 0);
    const dataBytes = specs.reduce((sum, spec) => sum + elementCount(spec.shape) * 4, 0);
    return new SafetensorsWriter(file, header.length, dataBytes);
  }

  async append(values: Float32Array): Promise<void> {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    await this.#file.write(bytes, 0, bytes.length, this.#position);
    this.#position += bytes.length;
    this.#written += bytes.length;
  }

  async close(): Promise<void> {
    try {
      if (this.#written !== this.#expectedBytes) {
        throw new Error(
          `safetensors writer got ${this.#written} bytes of data, the header announces ${this.#expectedBytes}`,
        );
      }
      await this.#file.sync();
    } finally {
      await this.#file.close();
    }
  }
}

/** Checks a file's tensor names, shapes and dtype against a spec from its header alone (no data read). */
export async function assertSafetensorsMatchSpec(path: string, specs: readonly TensorSpec[]): Promise<void> {
  const file = await open(path, 'r');
  try {
    const layout = await readSafetensorsLayout(file, path);
    const byName = new Map(layout.entries.map((entry) => [entry.name, entry]));
    if (layout.entries.length !== specs.length) {
      throw new Error(`${path}: holds ${layout.entries.length} tensors, the model spec has ${specs.length}`);
    }
    for (const spec of specs) {
      const entry = byName.get(spec.name);
      if (!entry) throw new Error(`${path}: missing tensor "${spec.name}"`);
      if (entry.shape.join(',') !== spec.shape.join(',')) {
        throw new Error(`${path}: tensor "${spec.name}" has shape [${entry.shape}], expected [${spec.shape}]`);
      }
    }
    const { size } = await file.stat();
    const last = layout.entries.at(-1);
    if (last && last.fileOffset + last.byteLength > size) throw new Error(`${path}: the file is truncated`);
  } finally {
    await file.close();
  }
}
