/**
 * Splits a file into lines as bytes, so that each line can be checked (length, UTF-8) before it is decoded.
 * A line longer than the bound fails with its line number as soon as the bound is passed.
 */
import { createReadStream } from 'node:fs';
import { defaultMaxLineBytes, LineTooLongError } from './line-limits.ts';

export interface ByteLine {
  /** 1-based line number. */
  line: number;
  /** The line without its LF or CR LF. */
  bytes: Buffer;
}

export interface ByteLineOptions {
  maxLineBytes?: number;
  /** Read no further than this byte (exclusive): a preview reads the start of a file only. */
  endByte?: number;
}

function withoutCr(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.subarray(0, -1) : bytes;
}

export async function* readByteLines(file: string, options: ByteLineOptions = {}): AsyncGenerator<ByteLine> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const range = options.endByte === undefined ? {} : { end: Math.max(0, options.endByte - 1) };
  let parts: Buffer[] = [];
  let partBytes = 0;
  let line = 1;
  for await (const chunk of createReadStream(file, range) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let feed = chunk.indexOf(10); feed !== -1; feed = chunk.indexOf(10, start)) {
      if (partBytes + feed - start > maxLineBytes) throw new LineTooLongError(file, line, maxLineBytes);
      const piece = chunk.subarray(start, feed);
      // Most lines lie inside one chunk: a view of it, not a copy.
      yield { line, bytes: withoutCr(parts.length === 0 ? piece : Buffer.concat([...parts, piece])) };
      parts = [];
      partBytes = 0;
      line += 1;
      start = feed + 1;
    }
    parts.push(chunk.subarray(start));
    partBytes += chunk.length - start;
    if (partBytes > maxLineBytes) throw new LineTooLongError(file, line, maxLineBytes);
  }
  if (partBytes > 0) yield { line, bytes: withoutCr(Buffer.concat(parts)) };
}
