/**
 * Fixed-size chunking with a hash per chunk and one over the whole, for resumable transfers: the
 * receiver checks each chunk as it arrives, asks again for exactly the ones it lacks after a broken
 * connection, and checks the whole at the end. Chunk i covers bytes [i·size, min((i+1)·size, total)).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isSha256Hex, sha256Hex } from './sha256.ts';

export interface ChunkManifest {
  readonly chunkSize: number;
  readonly totalBytes: number;
  /** sha256 (hex) of all the bytes. */
  readonly sha256: string;
  /** sha256 (hex) of each chunk, in order. */
  readonly chunks: readonly string[];
}

export interface Chunk {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export function chunkCount(totalBytes: number, chunkSize: number): number {
  return Math.ceil(totalBytes / chunkSize);
}

function assertChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)
    throw new Error(`chunk size must be a positive integer, got ${chunkSize}`);
}

/** Re-cuts a stream of pieces of any size into chunks of exactly chunkSize bytes (the last may be shorter). */
export async function* fixedSizeChunks(source: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<Chunk> {
  assertChunkSize(chunkSize);
  let buffer = new Uint8Array(chunkSize);
  let filled = 0;
  let index = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(chunkSize - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkSize) {
        yield { index: index++, bytes: buffer, sha256: sha256Hex(buffer) };
        buffer = new Uint8Array(chunkSize);
        filled = 0;
      }
    }
  }
  if (filled > 0) {
    const last = buffer.slice(0, filled);
    yield { index, bytes: last, sha256: sha256Hex(last) };
  }
}

/** The manifest of a stream, holding one chunk at a time. */
export async function manifestOfStream(source: AsyncIterable<Uint8Array>, chunkSize: number): Promise<ChunkManifest> {
  const whole = createHash('sha256');
  const chunks: string[] = [];
  let totalBytes = 0;
  for await (const chunk of fixedSizeChunks(source, chunkSize)) {
    whole.update(chunk.bytes);
    chunks.push(chunk.sha256);
    totalBytes += chunk.bytes.length;
  }
  return { chunkSize, totalBytes, sha256: whole.digest('hex'), chunks };
}

export function manifestOf(bytes: Uint8Array, chunkSize: number): ChunkManifest {
  assertChunkSize(chunkSize);
  const chunks: string[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) {
    chunks.push(sha256Hex(bytes.subarray(start, start + chunkSize)));
  }
  return { chunkSize, totalBytes: bytes.length, sha256: sha256Hex(bytes), chunks };
}

/** Chunk `index` of `bytes` as a view (no copy). */
export function chunkAt(bytes: Uint8Array, chunkSize: number, index: number): Uint8Array {
  return bytes.subarray(index * chunkSize, Math.min((index + 1) * chunkSize, bytes.length));
}

export function expectedChunkLength(manifest: ChunkManifest, index: number): number {
  return Math.min(manifest.chunkSize, manifest.totalBytes - index * manifest.chunkSize);
}

/** Throws, naming the chunk, when its index, length or hash is not what the manifest says. */
export function verifyChunk(manifest: ChunkManifest, index: number, bytes: Uint8Array): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= manifest.chunks.length) {
    throw new Error(`chunk index ${index} is out of range (the transfer has ${manifest.chunks.length} chunks)`);
  }
  const length = expectedChunkLength(manifest, index);
  if (bytes.length !== length) throw new Error(`chunk ${index} is ${bytes.length} bytes, expected ${length}`);
  const actual = sha256Hex(bytes);
  if (actual !== manifest.chunks[index]) {
    throw new Error(`chunk ${index} has sha256 ${actual}, expected ${manifest.chunks[index]}`);
  }
}

const manifestSchema = z.object({
  chunkSize: z.number().int().positive(),
  totalBytes: z.number().int().nonnegative(),
  sha256: z.string().refine(isSha256Hex, 'must be 64 lowercase hex digits'),
  chunks: z.array(z.string().refine(isSha256Hex, 'must be 64 lowercase hex digits')),
});

/** Validates a manifest received from the other side, including a stated size limit. */
export function parseChunkManifest(input: unknown, maxTotalBytes: number): ChunkManifest {
  const parsed = manifestSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid chunk manifest: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  if (manifest.totalBytes > maxTotalBytes) {
    throw new Error(`transfer of ${manifest.totalBytes} bytes is over the limit of ${maxTotalBytes} bytes`);
  }
  const expected = chunkCount(manifest.totalBytes, manifest.chunkSize);
  if (manifest.chunks.length !== expected) {
    throw new Error(
      `chunk manifest lists ${manifest.chunks.length} chunk hashes, ${manifest.totalBytes} bytes in chunks of ${manifest.chunkSize} need ${expected}`,
    );
  }
  return manifest;
}
