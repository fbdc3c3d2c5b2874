/**
 * Finds the line on which a record starts, from the byte offset where the previous record ended. csv-parse counts
 * lines at the end of a record and counts a CR LF inside a quoted field twice, so it cannot say where a
 * multi-line record starts. This pass-through stream remembers where the line breaks are in the bytes not yet
 * claimed by a record; memory stays bounded by what the parser has buffered. On the way it applies the text
 * checks of line-limits.ts: a line too long stops the stream, a line that is not UTF-8 is remembered.
 */
import { Transform, type TransformCallback } from 'node:stream';
import {
  defaultMaxLineBytes,
  incompleteUtf8Tail,
  invalidUtf8Lines,
  LineTooLongError,
  type InvalidLine,
} from './line-limits.ts';

const LF = 10;
const CR = 13;

export interface LineTrackerOptions {
  file: string;
  maxLineBytes?: number;
}

export class LineTracker extends Transform {
  readonly file: string;
  readonly maxLineBytes: number;
  /** Byte offsets of LF and CR characters at or after `#consumedTo`, in order. */
  #lineFeeds: number[] = [];
  #carriageReturns: number[] = [];
  #linesBefore = 0;
  #bytesSeen = 0;
  /** Line feeds seen in all, and where the current line started: for the length bound. */
  #feedsSeen = 0;
  #lineStart = 0;
  /** The last bytes of a chunk that end inside a multi-byte character, checked with the next chunk. */
  #carry: Buffer = Buffer.alloc(0);
  #invalid: InvalidLine[] = [];

  constructor(options: LineTrackerOptions) {
    super();
    this.file = options.file;
    this.maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const feedsBefore = this.#feedsSeen;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === LF) {
        const at = this.#bytesSeen + i;
        this.#lineFeeds.push(at);
        if (at - this.#lineStart > this.maxLineBytes) return callback(this.#tooLong());
        this.#feedsSeen += 1;
        this.#lineStart = at + 1;
      } else if (byte === CR) this.#carriageReturns.push(this.#bytesSeen + i);
    }
    this.#checkUtf8(chunk, feedsBefore);
    this.#bytesSeen += chunk.length;
    if (this.#bytesSeen - this.#lineStart > this.maxLineBytes) callback(this.#tooLong());
    else callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#carry.length > 0) this.#invalid.push({ offset: this.#lineStart, line: this.#feedsSeen + 1 });
    callback();
  }

  /** Lines that are not valid UTF-8 and start before byte `end`; each is returned once. */
  invalidLinesBefore(end: number): number[] {
    let count = 0;
    while (count < this.#invalid.length && (this.#invalid[count]?.offset ?? Infinity) < end) count += 1;
    return this.#invalid.splice(0, count).map((invalid) => invalid.line);
  }

  /** 1-based line of the first non-empty line at or after byte `start`; forgets line breaks before it. */
  lineStartingAt(start: number): number {
    this.#forgetBefore(start);
    let at = start;
    for (;;) {
      if (this.#lineFeeds[0] === at) at += 1;
      else if (this.#carriageReturns[0] === at && this.#lineFeeds[0] === at + 1) at += 2;
      else break;
      this.#forgetBefore(at);
    }
    return this.#linesBefore + 1;
  }

  #tooLong(): LineTooLongError {
    return new LineTooLongError(this.file, this.#feedsSeen + 1, this.maxLineBytes);
  }

  #checkUtf8(chunk: Buffer, feedsBefore: number): void {
    const bytes = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    const offset = this.#bytesSeen - this.#carry.length;
    const cut = incompleteUtf8Tail(bytes);
    // The carried bytes hold no LF (an LF always ends a character), so `feedsBefore` counts the lines before them.
    const invalid = invalidUtf8Lines(bytes.subarray(0, cut), offset, feedsBefore + 1);
    const last = this.#invalid[this.#invalid.length - 1];
    for (const line of invalid) if (line.line !== last?.line) this.#invalid.push(line);
    this.#carry = Buffer.from(bytes.subarray(cut));
  }

  #forgetBefore(offset: number): void {
    let feeds = 0;
    while (feeds < this.#lineFeeds.length && (this.#lineFeeds[feeds] ?? Infinity) < offset) feeds += 1;
    this.#linesBefore += feeds;
    if (feeds > 0) this.#lineFeeds.splice(0, feeds);
    let returns = 0;
    while (returns < this.#carriageReturns.length && (this.#carriageReturns[returns] ?? Infinity) < offset)
      returns += 1;
    if (returns > 0) this.#carriageReturns.splice(0, returns);
  }
}
