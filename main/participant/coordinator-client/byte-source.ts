/** Bytes to upload, read by range: from memory, or from a file so a large update is never held whole. */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

export async function fileSource(path: string): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    size,
    read: async (offset, length) => {
      const file = await open(path, 'r');
      try {
        const buffer = new Uint8Array(Math.min(length, size - offset));
        await file.read(buffer, 0, buffer.length, offset);
        return buffer;
      } finally {
        await file.close();
      }
    },
  };
}

export async function sourceSha256(source: ByteSource, chunkBytes = 4 * 1024 * 1024): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < source.size; offset += chunkBytes) hash.update(await source.read(offset, chunkBytes));
  return hash.digest('hex');
}
