/**
 * The exact size of an encoded update, known before it is made: for a model spec and an encoding the
 * format leaves no freedom, so a coordinator can refuse an upload of any other size before reading it,
 * and the approval screen can show the size of what will leave.
 */
import { elementCount } from '../tensor/parameter-set.ts';
import type { TensorSpec } from '../tensor/parameter-set.ts';
import { defaultInt8ChunkSize } from './int8-quantization.ts';
import type { UpdateEncoding } from './update-codec.ts';

/** k = ⌈f·n⌉, at least 1 and at most n; the tiny slack keeps 0.07 · 100 at 7, not 8. */
export function keptEntryCount(size: number, topKFraction: number): number {
  if (size === 0) return 0;
  return Math.min(size, Math.max(1, Math.ceil(topKFraction * size * (1 - 1e-12))));
}

function valuesBytes(count: number, int8: boolean, chunkSize: number): number {
  return int8 ? 4 + 4 * Math.ceil(count / chunkSize) + count : 4 * count;
}

/**
 * Whether top-k writes a tensor sparse: only when its kept indices and values take fewer bytes than all its
 * values dense, so that a small tensor (a bias, a scalar) never grows; written dense, it leaves no residual.
 */
export function sendsSparse(size: number, encoding: UpdateEncoding, int8ChunkSize = defaultInt8ChunkSize): boolean {
  if (encoding.topKFraction === 1) return false;
  const int8 = encoding.quantization === 'int8';
  const kept = keptEntryCount(size, encoding.topKFraction);
  return 4 + 4 * kept + valuesBytes(kept, int8, int8ChunkSize) < valuesBytes(size, int8, int8ChunkSize);
}

export function encodedUpdateSize(
  spec: readonly TensorSpec[],
  encoding: UpdateEncoding,
  int8ChunkSize = defaultInt8ChunkSize,
): number {
  const int8 = encoding.quantization === 'int8';
  let bytes = 12;
  for (const { name, shape } of spec) {
    const size = elementCount(shape);
    bytes += 2 + new TextEncoder().encode(name).length + 1 + 4 * shape.length + 1;
    if (sendsSparse(size, encoding, int8ChunkSize)) {
      const kept = keptEntryCount(size, encoding.topKFraction);
      bytes += 4 + 4 * kept + valuesBytes(kept, int8, int8ChunkSize);
    } else {
      bytes += valuesBytes(size, int8, int8ChunkSize);
    }
  }
  return bytes;
}
