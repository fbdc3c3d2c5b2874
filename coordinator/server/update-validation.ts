/**
 * Validates a received update on disk before it is accepted: its sha256, then its content. The file is
 * read in chunks, never whole by its own say: the hash is streamed, raw float32 updates are checked chunk
 * by chunk (memory stays one chunk whatever the model's size), and an update in the codec's format is
 * decoded only once its hash matches, from exactly the announced bytes, which begin already bounded by the
 * largest update the model spec allows.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { assertFinite, littleEndianFloat32 } from '../../engine/codec/float32-update.ts';
import type { CoordinatorConfig } from '../config/coordinator-config.ts';
import { decodeUpload } from '../serde/update-serde.ts';
import type { UploadRow } from '../store/rows.ts';

type ChunkVisitor = (chunk: Uint8Array, offset: number) => void;

/** Reads the upload's announced bytes in order, chunk by chunk; a file that ends early is refused. */
async function readInChunks(upload: UploadRow, chunkBytes: number, visit: ChunkVisitor): Promise<void> {
  const file = await open(upload.path, 'r');
  const buffer = new Uint8Array(chunkBytes - (chunkBytes % 4));
  try {
    for (let offset = 0; offset < upload.totalBytes;) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, upload.totalBytes - offset), offset);
      if (bytesRead === 0) throw new Error(`the stored update ends at ${offset} of ${upload.totalBytes} bytes`);
      visit(buffer.subarray(0, bytesRead), offset);
      offset += bytesRead;
    }
  } finally {
    await file.close();
  }
}

async function streamedSha256(upload: UploadRow, config: CoordinatorConfig, visit?: ChunkVisitor): Promise<string> {
  const hash = createHash('sha256');
  await readInChunks(upload, config.limits.chunkBytes, (chunk, offset) => {
    hash.update(chunk);
    visit?.(chunk, offset);
  });
  return hash.digest('hex');
}

/** Exactly the upload's announced bytes, whatever else the file may hold. */
export async function readStoredUpdate(upload: UploadRow, chunkBytes: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(upload.totalBytes);
  await readInChunks(upload, chunkBytes, (chunk, offset) => bytes.set(chunk, offset));
  return bytes;
}

function validateFloat32Stream(upload: UploadRow, config: CoordinatorConfig): Promise<string> {
  return streamedSha256(upload, config, (chunk, offset) =>
    assertFinite(littleEndianFloat32(chunk), config.model.spec, offset / 4),
  );
}

async function validateEncoded(upload: UploadRow, config: CoordinatorConfig): Promise<string> {
  const actual = await streamedSha256(upload, config);
  if (actual === upload.sha256) {
    const bytes = await readStoredUpdate(upload, config.limits.chunkBytes);
    decodeUpload(bytes, config.model.spec, config.updateEncoding, config.limits.maxUpdateBytes);
  }
  return actual;
}

/** A masked input is uniform-looking words by design: only its hash can be checked. */
function validateMasked(upload: UploadRow, config: CoordinatorConfig): Promise<string> {
  return streamedSha256(upload, config);
}

export async function validateStoredUpdate(upload: UploadRow, config: CoordinatorConfig): Promise<void> {
  const plain = config.updateEncoding === 'float32-le' ? validateFloat32Stream : validateEncoded;
  const validate = config.secureAggregation ? validateMasked : plain;
  const actual = await validate(upload, config);
  if (actual !== upload.sha256)
    throw new Error(`the received bytes hash to ${actual}, not the announced ${upload.sha256}`);
}
