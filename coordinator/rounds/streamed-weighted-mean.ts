/**
 * The example-weighted mean of raw float32 updates read from disk a chunk at a time: memory is one
 * accumulator of the model's size plus one chunk, however many participants there are.
 */
import { open } from 'node:fs/promises';
import { littleEndianFloat32 } from '../../engine/codec/float32-update.ts';

export interface WeightedUpdateFile {
  readonly path: string;
  readonly numExamples: number;
}

export async function streamedWeightedMean(
  files: readonly WeightedUpdateFile[],
  elements: number,
  chunkBytes = 4 * 1024 * 1024,
): Promise<Float32Array> {
  const total = files.reduce((sum, file) => sum + file.numExamples, 0);
  if (!(total > 0)) throw new Error('a weighted mean needs at least one example');
  const mean = new Float32Array(elements);
  const buffer = new Uint8Array(chunkBytes - (chunkBytes % 4));
  for (const update of files) {
    const weight = update.numExamples / total;
    const file = await open(update.path, 'r');
    try {
      for (let offset = 0; offset < elements * 4;) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, elements * 4 - offset), offset);
        if (bytesRead === 0) throw new Error(`${update.path} ends at byte ${offset}, expected ${elements * 4}`);
        const values = littleEndianFloat32(buffer.subarray(0, bytesRead));
        const start = offset / 4;
        for (let i = 0; i < values.length; i += 1) mean[start + i]! += weight * values[i]!;
        offset += bytesRead;
      }
    } finally {
      await file.close();
    }
  }
  return mean;
}
