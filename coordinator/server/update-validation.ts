/**
 * Validates a received update on disk before it is accepted: its sha256, then its content. Raw float32
 * updates are checked chunk by chunk (memory stays one chunk whatever the model's size); updates in the
 * codec's format are decoded whole, which checks names, shapes, encodings and finiteness.
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { assertFinite, littleEndianFloat32 } from '../../engine/codec/float32-update.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { decodeUpload } from '../serde/update-serde.ts';
import type { UploadRow } from '../store/rows.ts';

async function validateFloat32Stream(upload: UploadRow, config: CoordinatorConfig): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(upload.path, 'r');
  const chunkBytes = config.limits.chunkBytes;
  const buffer = new Uint8Array(chunkBytes - (chunkBytes % 4));
  try {
    for (let offset = 0; offset < upload.totalBytes;) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, upload.totalBytes - offset), offset);
      if (bytesRead === 0) throw new Error(`the stored update ends at ${offset} of ${upload.totalBytes} bytes`);
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      assertFinite(littleEndianFloat32(chunk), config.model.spec, offset / 4);
      offset += bytesRead;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

async function validateEncoded(upload: UploadRow, config: CoordinatorConfig): Promise<string> {
  const bytes = await readFile(upload.path);
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const actual = createHash('sha256').update(view).digest('hex');
  if (actual === upload.sha256)
    decodeUpload(view, config.model.spec, config.updateEncoding, config.limits.maxUpdateBytes);
  return actual;
}

export async function validateStoredUpdate(upload: UploadRow, config: CoordinatorConfig): Promise<void> {
  const validate = config.updateEncoding === 'float32-le' ? validateFloat32Stream : validateEncoded;
  const actual = await validate(upload, config);
  if (actual !== upload.sha256)
    throw new Error(`the received bytes hash to ${actual}, not the announced ${upload.sha256}`);
}
