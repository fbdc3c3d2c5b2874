/**
 * The checks a text reader makes on the raw bytes before parsing them: no line longer than a bound (a file of
 * one endless line, such as 2 GB of NUL bytes, fails at once instead of filling memory), and every line valid
 * UTF-8 (a decoder would otherwise replace bad bytes silently and the row would be trained on as garbage).
 */
import { isUtf8 } from 'node:buffer';

/** The longest line a text data file may hold: far above any real record, far below a runaway read. */
export const defaultMaxLineBytes = 8 * 1024 * 1024;

export class LineTooLongError extends Error {
  readonly line: number;
  constructor(file: string, line: number, maxLineBytes: number) {
    super(
      `${file}:${line}: the line is longer than ${maxLineBytes} bytes, the most a data file's line may hold (is this a text data file?)`,
    );
    this.name = 'LineTooLongError';
    this.line = line;
  }
}

export const invalidUtf8Message = 'is not valid UTF-8 text: save the file as UTF-8';

/** Where an incomplete multi-byte character starts at the end of `bytes` (bytes.length when none does). */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

export interface InvalidLine {
  /** Byte offset, in the file, where the line starts. */
  offset: number;
  /** 1-based line number. */
  line: number;
}

/** The lines of `bytes` (which starts at file offset `offset`, on line `firstLine`) that are not valid UTF-8. */
export function invalidUtf8Lines(bytes: Uint8Array, offset: number, firstLine: number): InvalidLine[] {
  if (isUtf8(bytes)) return [];
  const invalid: InvalidLine[] = [];
  let start = 0;
  let line = firstLine;
  while (start <= bytes.length) {
    const feed = bytes.indexOf(10, start);
    const end = feed === -1 ? bytes.length : feed;
    if (!isUtf8(bytes.subarray(start, end))) invalid.push({ offset: offset + start, line });
    if (feed === -1) break;
    start = feed + 1;
    line += 1;
  }
  return invalid;
}
