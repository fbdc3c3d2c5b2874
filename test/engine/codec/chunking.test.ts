import { describe, expect, it } from 'vitest';
import { ChunkAssembler } from '../../../engine/codec/chunk-assembler.ts';
import {
  chunkAt,
  fixedSizeChunks,
  manifestOf,
  manifestOfStream,
  parseChunkManifest,
  verifyChunk,
} from '../../../engine/codec/chunking.ts';
import { sha256Hex } from '../../../engine/codec/sha256.ts';

const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);

async function* pieces(sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (const size of sizes) {
    yield data.subarray(offset, offset + size);
    offset += size;
  }
  yield data.subarray(offset);
}

describe('chunking', () => {
  it('cuts 1000 bytes into chunks of 256, 256, 256, 232 with their hashes', () => {
    const manifest = manifestOf(data, 256);
    expect(manifest.totalBytes).toBe(1000);
    expect(manifest.sha256).toBe(sha256Hex(data));
    expect(manifest.chunks).toEqual(
      [0, 256, 512, 768].map((start) => sha256Hex(data.slice(start, Math.min(start + 256, 1000)))),
    );
    expect(chunkAt(data, 256, 3).length).toBe(232);
  });

  it('re-cuts a stream of odd-sized pieces into the same chunks and the same manifest', async () => {
    const chunks = [];
    for await (const chunk of fixedSizeChunks(pieces([1, 300, 7, 0, 500]), 256))
      chunks.push({ ...chunk, bytes: Uint8Array.from(chunk.bytes) });
    expect(chunks.map((c) => c.bytes.length)).toEqual([256, 256, 256, 232]);
    chunks.forEach((c) => expect(c.bytes).toEqual(chunkAt(data, 256, c.index)));
    expect(await manifestOfStream(pieces([999]), 256)).toEqual(manifestOf(data, 256));
    expect(await manifestOfStream(pieces([]), 1000)).toEqual(manifestOf(data, 1000));
  });

  it('handles an empty transfer', async () => {
    const manifest = await manifestOfStream((async function* () {})(), 64);
    expect(manifest).toEqual({ chunkSize: 64, totalBytes: 0, sha256: sha256Hex(new Uint8Array(0)), chunks: [] });
    expect(new ChunkAssembler(manifest).finish().length).toBe(0);
  });

  it('verifyChunk names the chunk whose index, length or hash is wrong', () => {
    const manifest = manifestOf(data, 256);
    expect(() => verifyChunk(manifest, 4, new Uint8Array(1))).toThrow(
      'chunk index 4 is out of range (the transfer has 4 chunks)',
    );
    expect(() => verifyChunk(manifest, 3, new Uint8Array(256))).toThrow('chunk 3 is 256 bytes, expected 232');
    const corrupt = Uint8Array.from(chunkAt(data, 256, 1));
    corrupt[10] = corrupt[10]! ^ 1;
    expect(() => verifyChunk(manifest, 1, corrupt)).toThrow(
      `chunk 1 has sha256 ${sha256Hex(corrupt)}, expected ${manifest.chunks[1]}`,
    );
  });

  it('parseChunkManifest refuses a bad hash, an inconsistent count and a transfer over the limit', () => {
    const manifest = manifestOf(data, 256);
    expect(parseChunkManifest(JSON.parse(JSON.stringify(manifest)), 1000)).toEqual(manifest);
    expect(() => parseChunkManifest({ ...manifest, sha256: 'xyz' }, 1000)).toThrow('sha256');
    expect(() => parseChunkManifest({ ...manifest, chunks: manifest.chunks.slice(1) }, 1000)).toThrow(
      'lists 3 chunk hashes',
    );
    expect(() => parseChunkManifest(manifest, 999)).toThrow('transfer of 1000 bytes is over the limit of 999 bytes');
  });
});

describe('ChunkAssembler', () => {
  it('resumes: accepts chunks in any order and retries once, reports what is missing, checks the whole', () => {
    const manifest = manifestOf(data, 256);
    const assembler = new ChunkAssembler(manifest);
    expect(assembler.accept(2, chunkAt(data, 256, 2))).toBe(true);
    expect(assembler.accept(0, chunkAt(data, 256, 0))).toBe(true);
    expect(assembler.missing()).toEqual([1, 3]);
    expect(() => assembler.finish()).toThrow('transfer incomplete: 2 of 4 chunks missing (first: 1)');
    // a broken connection: the sender starts again from the missing chunks, and repeats one
    expect(assembler.accept(2, chunkAt(data, 256, 2))).toBe(false);
    for (const index of assembler.missing()) assembler.accept(index, chunkAt(data, 256, index));
    expect(assembler.complete).toBe(true);
    expect(assembler.finish()).toEqual(data);
  });

  it('refuses a corrupted chunk without storing it', () => {
    const assembler = new ChunkAssembler(manifestOf(data, 256));
    expect(() => assembler.accept(0, new Uint8Array(256))).toThrow('chunk 0 has sha256');
    expect(assembler.missing()).toEqual([0, 1, 2, 3]);
  });

  it('refuses the whole when the manifest’s whole hash disagrees', () => {
    const manifest = { ...manifestOf(data, 256), sha256: sha256Hex(new Uint8Array(1)) };
    const assembler = new ChunkAssembler(manifest);
    for (let i = 0; i < 4; i++) assembler.accept(i, chunkAt(data, 256, i));
    expect(() => assembler.finish()).toThrow(`transfer has sha256 ${sha256Hex(data)}, expected`);
  });
});
