/**
 * Resumable, verified model download: chunks are appended to "<sha256>.part" in the model folder; a
 * restarted download continues from the file's length; the whole is checked against the task's sha256
 * before it is renamed into place. Memory use is one chunk, whatever the model's size.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultChunkBytes } from '../../../protocol/federation-methods.ts';
import type { ResponseOf } from '../../../protocol/federation-methods.ts';
import type { GrpcTransport, Signer } from './grpc-transport.ts';

async function hashExisting(path: string): Promise<{ hash: ReturnType<typeof createHash>; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { hash, bytes };
}

export interface DownloadRequest {
  readonly roundId: string;
  readonly sha256: string;
  readonly modelDir: string;
  readonly onProgress?: (receivedBytes: number, totalBytes: number) => void;
}

/** Returns the path of the verified model file. */
/** Chunk requests kept in flight: enough to hide a round trip, few enough to bound memory (4 MiB). */
const requestWindow = 4;

type ModelChunk = ResponseOf<'downloadModel'>;

/** Fetches [start, total) in order, several requests in flight, handing each chunk to `accept`. */
async function fetchChunks(
  transport: GrpcTransport,
  signer: Signer,
  request: DownloadRequest,
  start: number,
  accept: (chunk: ModelChunk, total: number) => Promise<void>,
): Promise<void> {
  const ask = async (offset: number, maxBytes: number) => {
    const chunk = await transport.call(
      'downloadModel',
      { roundId: request.roundId, offset: BigInt(offset), maxBytes },
      signer,
    );
    if (chunk.sha256 !== request.sha256) {
      throw new Error(`the coordinator serves model ${chunk.sha256}, the task announced ${request.sha256}`);
    }
    if (Number(chunk.offset) !== offset || (chunk.data.length === 0 && offset < Number(chunk.totalBytes))) {
      throw new Error(`the coordinator answered offset ${chunk.offset} with ${chunk.data.length} bytes for ${offset}`);
    }
    return chunk;
  };
  const first = await ask(start, defaultChunkBytes);
  const total = Number(first.totalBytes);
  // The coordinator's chunk size is what it sent; later requests ask for exactly that much.
  const stride = Math.max(first.data.length, 1);
  await accept(first, total);
  const inFlight: Promise<ModelChunk>[] = [];
  let next = start + first.data.length;
  for (let received = next; received < total;) {
    while (inFlight.length < requestWindow && next < total) {
      const pending = ask(next, stride);
      pending.catch(() => undefined); // awaited below in order; this only marks it handled meanwhile
      inFlight.push(pending);
      next += stride;
    }
    const chunk = await inFlight.shift()!;
    await accept(chunk, total);
    received += chunk.data.length;
  }
}

export async function downloadModelToFile(
  transport: GrpcTransport,
  signer: Signer,
  request: DownloadRequest,
): Promise<string> {
  await mkdir(request.modelDir, { recursive: true });
  const finalPath = join(request.modelDir, `${request.sha256}.safetensors`);
  const partPath = `${finalPath}.part`;
  // No file yet (ENOENT) is the ordinary case: the model is downloaded below.
  if (await stat(finalPath).catch(() => undefined)) return finalPath;
  const { hash, bytes } = await hashExisting(partPath);
  const file = await open(partPath, 'a');
  let offset = bytes;
  try {
    await fetchChunks(transport, signer, request, offset, async (chunk, total) => {
      await file.write(chunk.data, 0, chunk.data.length, offset);
      hash.update(chunk.data);
      offset += chunk.data.length;
      request.onProgress?.(offset, total);
    });
    await file.sync();
  } finally {
    await file.close();
  }
  const actual = hash.digest('hex');
  if (actual !== request.sha256) {
    await rm(partPath, { force: true });
    throw new Error(`the downloaded model hashes to ${actual}, not ${request.sha256}; it was discarded`);
  }
  await rename(partPath, finalPath);
  return finalPath;
}
