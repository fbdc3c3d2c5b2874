/** Validates a received update on disk, chunk by chunk: its sha256, and that every value is finite. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { assertFinite, littleEndianFloat32 } from '../../engine/codec/float32-update.ts';
import type { TensorSpec } from '../../engine/tensor/parameter-set.ts';
import type { UploadRow } from '../store/rows.ts';

export async function validateStoredUpdate(
  upload: UploadRow,
  spec: readonly TensorSpec[],
  chunkBytes: number,
): Promise<void> {
  const hash = createHash('sha256');
  const file = await open(upload.path, 'r');
  const buffer = new Uint8Array(chunkBytes - (chunkBytes % 4));
  try {
    for (let offset = 0; offset < upload.totalBytes;) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, upload.totalBytes - offset), offset);
      if (bytesRead === 0) throw new Error(`the stored update ends at ${offset} of ${upload.totalBytes} bytes`);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      assertFinite(littleEndianFloat32(chunk), spec, offset / 4);
      offset += bytesRead;
    }
  } finally {
    await file.close();
  }
  const actual = hash.digest('hex');
  if (actual !== upload.sha256)
    throw new Error(`the received bytes hash to ${actual}, not the announced ${upload.sha256}`);
}
