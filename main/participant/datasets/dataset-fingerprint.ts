/** A dataset's identity: sha256 of its bytes, streamed so a large file never sits in memory. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface Fingerprint {
  readonly sha256: string;
  readonly sizeBytes: number;
}

export async function fingerprintFile(path: string): Promise<Fingerprint> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  const info = await stat(path);
  if (info.size !== sizeBytes) throw new Error(`${path} changed while it was being read`);
  return { sha256: hash.digest('hex'), sizeBytes };
}
