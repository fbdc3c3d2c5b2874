/**
 * A dataset's identity: sha256 of its bytes, streamed so a large file never sits in memory; and the cheap
 * comparison (size, modification time) that decides when a listed file must be hashed again.
 */
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

/** How a registered file compares with what was confirmed: size and mtime first, the sha256 only when they moved. */
export type FileChange =
  { kind: 'same' } | { kind: 'touched'; mtimeMs: number } | { kind: 'changed'; currentSha256: string };

export async function fileChangeSince(
  path: string,
  sizeBytes: number,
  mtimeMs: number | null,
  sha256: string,
): Promise<FileChange> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { kind: 'changed', currentSha256: 'missing' };
  }
  if (!info.isFile()) return { kind: 'changed', currentSha256: 'missing' };
  if (info.size === sizeBytes && info.mtimeMs === mtimeMs) return { kind: 'same' };
  // A size that differs proves a change, but the audit records what the file holds now, so it is hashed either way.
  const current = (await fingerprintFile(path)).sha256;
  return current === sha256 ? { kind: 'touched', mtimeMs: info.mtimeMs } : { kind: 'changed', currentSha256: current };
}
