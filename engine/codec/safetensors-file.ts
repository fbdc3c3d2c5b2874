/**
 * Safetensors files read and written tensor by tensor, so that a model is never held twice: the coordinator's
 * aggregates and the participant's downloads can be larger than memory would like.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { elementCount, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { decodeTensorBytes, float32Bytes } from './safetensors-dtypes.ts';
import { checkDataSize, headerLength, parseSafetensorsHeader, safetensorsHeader } from './safetensors-header.ts';
import type { SafetensorsEntry, SafetensorsLayout, SafetensorsMetadata } from './safetensors-header.ts';

/** The header of an open file, validated, and checked against the file's size. */
export async function readSafetensorsLayout(file: FileHandle, source: string): Promise<SafetensorsLayout> {
  const { size } = await file.stat();
  const prefix = Buffer.alloc(8);
  const { bytesRead: prefixRead } = await file.read(prefix, 0, 8, 0);
  const length = headerLength(prefix.subarray(0, prefixRead), size, source);
  const json = Buffer.alloc(length);
  await file.read(json, 0, length, 8);
  const layout = parseSafetensorsHeader(json, 8 + length, source);
  checkDataSize(layout, size, source);
  return layout;
}

function entriesMatchingSpec(
  layout: SafetensorsLayout,
  specs: readonly TensorSpec[],
  path: string,
): SafetensorsEntry[] {
  if (specs.length !== layout.entries.length) {
    throw new Error(`${path}: holds ${layout.entries.length} tensors, the model spec has ${specs.length}`);
  }
  const byName = new Map(layout.entries.map((entry) => [entry.name, entry]));
  return specs.map((spec) => {
    const entry = byName.get(spec.name);
    if (!entry) throw new Error(`${path}: missing tensor "${spec.name}"`);
    if (entry.shape.join(',') !== spec.shape.join(',')) {
      throw new Error(`${path}: tensor "${spec.name}" has shape [${entry.shape}], expected [${spec.shape}]`);
    }
    return entry;
  });
}

/** Reads every tensor as float32; with a spec, the result follows the spec's order and must match it exactly. */
export async function readSafetensorsFile(
  path: string,
  specs?: readonly TensorSpec[],
): Promise<Map<string, Float32Tensor>> {
  const file = await open(path, 'r');
  try {
    const layout = await readSafetensorsLayout(file, path);
    const entries = specs ? entriesMatchingSpec(layout, specs, path) : layout.entries;
    const result = new Map<string, Float32Tensor>();
    for (const entry of entries) {
      const bytes = new Uint8Array(entry.byteLength);
      await file.read(bytes, 0, entry.byteLength, entry.fileOffset);
      result.set(entry.name, tensor(entry.shape, decodeTensorBytes(entry.dtype, bytes)));
    }
    return result;
  } finally {
    await file.close();
  }
}

/** Checks a file's tensor names, shapes and size against a spec from its header alone (no data read). */
export async function assertSafetensorsMatchSpec(path: string, specs: readonly TensorSpec[]): Promise<void> {
  const file = await open(path, 'r');
  try {
    entriesMatchingSpec(await readSafetensorsLayout(file, path), specs, path);
  } finally {
    await file.close();
  }
}

export async function writeSafetensorsFile(
  path: string,
  parameters: ParameterSet,
  metadata?: SafetensorsMetadata,
): Promise<void> {
  const specs = [...parameters].map(([name, value]) => ({ name, shape: value.shape }));
  const writer = await SafetensorsWriter.create(path, specs, metadata);
  for (const value of parameters.values()) await writer.append(value.data);
  await writer.close();
}

/** Writes a file's tensor data first to last, in pieces of any size: a model is never held whole. */
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
    metadata?: SafetensorsMetadata,
  ): Promise<SafetensorsWriter> {
    const header = safetensorsHeader(specs, metadata);
    const file = await open(path, 'w');
    await file.write(header, 0, header.length, 0);
    const dataBytes = specs.reduce((sum, spec) => sum + elementCount(spec.shape) * 4, 0);
    return new SafetensorsWriter(file, header.length, dataBytes);
  }

  async append(values: Float32Array): Promise<void> {
    const bytes = float32Bytes(values);
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
