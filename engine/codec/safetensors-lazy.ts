/**
 * Safetensors tensors read one at a time, on demand, from their files: the header is parsed when a file is opened
 * and each tensor's bytes are read from their offset straight into the destination Float32Array (F16 and BF16
 * through a small bounded buffer), so that importing a checkpoint never holds a whole shard, nor two copies of a
 * tensor's weights. `LazyTensorMap` is a ParameterSet whose `get` reads the tensor from disk each time it is asked.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';
import { decodeTensorBytes } from './safetensors-dtypes.ts';
import { checkDataSize, headerLength, parseSafetensorsHeader, safetensorsDtypeWidths } from './safetensors-header.ts';
import type { SafetensorsEntry, SafetensorsLayout } from './safetensors-header.ts';

/** Half-precision tensors are converted through a buffer of at most this many bytes. */
const conversionChunkBytes = 1 << 22;

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function readExactly(fd: number, target: Uint8Array, position: number, source: string): void {
  let done = 0;
  while (done < target.byteLength) {
    const length = Math.min(target.byteLength - done, 1 << 30);
    const read = readSync(fd, target, done, length, position + done);
    if (read === 0) throw new Error(`${source}: the file ends before byte ${position + target.byteLength}`);
    done += read;
  }
}

/** An open safetensors file: its validated layout, and its tensors read on demand. */
export class SafetensorsFileReader {
  readonly path: string;
  readonly layout: SafetensorsLayout;
  readonly #fd: number;
  readonly #entries: Map<string, SafetensorsEntry>;

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'r');
    try {
      const { size } = fstatSync(this.#fd);
      const prefix = new Uint8Array(Math.min(8, size));
      readExactly(this.#fd, prefix, 0, path);
      const json = new Uint8Array(headerLength(prefix, size, path));
      readExactly(this.#fd, json, 8, path);
      this.layout = parseSafetensorsHeader(json, 8 + json.byteLength, path);
      checkDataSize(this.layout, size, path);
    } catch (error) {
      closeSync(this.#fd);
      throw error;
    }
    this.#entries = new Map(this.layout.entries.map((entry) => [entry.name, entry]));
  }

  entry(name: string): SafetensorsEntry | undefined {
    return this.#entries.get(name);
  }

  /** One tensor widened to float32, read from its offset into a fresh array. */
  read(name: string): Float32Tensor {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`${this.path}: no tensor "${name}"`);
    const width = safetensorsDtypeWidths[entry.dtype];
    const values = new Float32Array(entry.byteLength / width);
    if (entry.dtype === 'F32' && littleEndian) {
      readExactly(this.#fd, new Uint8Array(values.buffer), entry.fileOffset, this.path);
      return tensor(entry.shape, values);
    }
    const step = conversionChunkBytes - (conversionChunkBytes % width);
    const chunk = new Uint8Array(Math.min(step, entry.byteLength));
    for (let done = 0; done < entry.byteLength; done += step) {
      const part = chunk.subarray(0, Math.min(step, entry.byteLength - done));
      readExactly(this.#fd, part, entry.fileOffset + done, this.path);
      values.set(decodeTensorBytes(entry.dtype, part), done / width);
    }
    return tensor(entry.shape, values);
  }

  /**
   * A matrix [rows, cols] read as its transpose [cols, rows], a band of rows at a time, so that the only full-size
   * array is the result (nn.Linear's [out, in] weights become our [in, out] without a second copy).
   */
  readTransposed(name: string): Float32Tensor {
    const entry = this.#entries.get(name);
    if (!entry || entry.shape.length !== 2) throw new Error(`${this.path}: no matrix "${name}"`);
    const [rows, cols] = entry.shape as [number, number];
    const rowBytes = cols * safetensorsDtypeWidths[entry.dtype];
    const band = Math.max(1, Math.floor(conversionChunkBytes / Math.max(1, rowBytes)));
    const out = new Float32Array(rows * cols);
    const bytes = new Uint8Array(Math.min(band, rows) * rowBytes);
    for (let first = 0; first < rows; first += band) {
      const count = Math.min(band, rows - first);
      const part = bytes.subarray(0, count * rowBytes);
      readExactly(this.#fd, part, entry.fileOffset + first * rowBytes, this.path);
      const values = decodeTensorBytes(entry.dtype, part);
      for (let r = 0; r < count; r += 1)
        for (let c = 0; c < cols; c += 1) out[c * rows + first + r] = values[r * cols + c]!;
    }
    return tensor([cols, rows], out);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * A read-only map from tensor name to tensor over one or more open files (a sharded checkpoint): `get` reads the
 * tensor from its file every time, so a caller that drops what it got holds nothing.
 */
export class LazyTensorMap implements ReadonlyMap<string, Float32Tensor> {
  readonly #files: Map<string, SafetensorsFileReader>;

  /** `files`: each tensor name with the open file that holds it. */
  constructor(files: Map<string, SafetensorsFileReader>) {
    this.#files = files;
  }

  get size(): number {
    return this.#files.size;
  }

  has(name: string): boolean {
    return this.#files.has(name);
  }

  get(name: string): Float32Tensor | undefined {
    return this.#files.get(name)?.read(name);
  }

  /** A matrix read as its transpose, without a second full-size copy (SafetensorsFileReader.readTransposed). */
  getTransposed(name: string): Float32Tensor | undefined {
    return this.#files.get(name)?.readTransposed(name);
  }

  /** Shape and dtype of a tensor from its file's header, without reading its data. */
  entry(name: string): SafetensorsEntry | undefined {
    return this.#files.get(name)?.entry(name);
  }

  keys(): MapIterator<string> {
    return this.#files.keys();
  }

  *entries(): MapIterator<[string, Float32Tensor]> {
    for (const name of this.#files.keys()) yield [name, this.get(name)!];
  }

  *values(): MapIterator<Float32Tensor> {
    for (const name of this.#files.keys()) yield this.get(name)!;
  }

  [Symbol.iterator](): MapIterator<[string, Float32Tensor]> {
    return this.entries();
  }

  forEach(callback: (value: Float32Tensor, key: string, map: ReadonlyMap<string, Float32Tensor>) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  close(): void {
    for (const file of new Set(this.#files.values())) file.close();
  }
}

/** Every tensor of one file, read lazily. */
export function lazySafetensorsFile(path: string): LazyTensorMap {
  const file = new SafetensorsFileReader(path);
  return new LazyTensorMap(new Map(file.layout.entries.map((entry) => [entry.name, file])));
}
