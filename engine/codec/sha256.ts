/** SHA-256 helpers used for model downloads, update uploads, receipts and the audit log. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The hash of a stream of pieces, without holding them all. */
export async function sha256HexOfStream(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of source) hash.update(piece);
  return hash.digest('hex');
}

export function sha256HexOfFile(path: string): Promise<string> {
  return sha256HexOfStream(createReadStream(path));
}

const hexDigest = /^[0-9a-f]{64}$/;

export function isSha256Hex(text: string): boolean {
  return hexDigest.test(text);
}
