/**
 * Receives the chunks of one transfer in any order, any number of times (a retried chunk with the
 * same bytes is accepted once), and yields the whole only when every chunk and the whole hash check.
 */
import type { ChunkManifest } from './chunking.ts';
import { verifyChunk } from './chunking.ts';
import { sha256Hex } from './sha256.ts';

export class ChunkAssembler {
  readonly manifest: ChunkManifest;
  private readonly buffer: Uint8Array;
  private readonly received: Uint8Array;
  private receivedCount = 0;

  constructor(manifest: ChunkManifest) {
    this.manifest = manifest;
    this.buffer = new Uint8Array(manifest.totalBytes);
    this.received = new Uint8Array(manifest.chunks.length);
  }

  /** Verifies and stores a chunk; returns false when that chunk was already stored (a retry). */
  accept(index: number, bytes: Uint8Array): boolean {
    verifyChunk(this.manifest, index, bytes);
    if (this.received[index]) return false;
    this.buffer.set(bytes, index * this.manifest.chunkSize);
    this.received[index] = 1;
    this.receivedCount++;
    return true;
  }

  /** The indices still to fetch, in order: what a resumed transfer asks for. */
  missing(): number[] {
    const missing: number[] = [];
    this.received.forEach((done, index) => {
      if (!done) missing.push(index);
    });
    return missing;
  }

  get complete(): boolean {
    return this.receivedCount === this.manifest.chunks.length;
  }

  /** The whole transfer, after checking that nothing is missing and that the whole hash matches. */
  finish(): Uint8Array {
    const missing = this.missing();
    if (missing.length > 0) {
      throw new Error(
        `transfer incomplete: ${missing.length} of ${this.manifest.chunks.length} chunks missing (first: ${missing[0]})`,
      );
    }
    const actual = sha256Hex(this.buffer);
    if (actual !== this.manifest.sha256)
      throw new Error(`transfer has sha256 ${actual}, expected ${this.manifest.sha256}`);
    return this.buffer;
  }
}
