/**
 * Finds the line on which a record starts, from the byte offset where the previous record ended. csv-parse counts
 * lines at the end of a record and counts a CR LF inside a quoted field twice, so it cannot say where a
 * multi-line record starts. This pass-through stream remembers where the line breaks are in the bytes not yet
 * claimed by a record; memory stays bounded by what the parser has buffered.
 */
import { Transform, type TransformCallback } from 'node:stream';

const LF = 10;
const CR = 13;

export class LineTracker extends Transform {
  /** Byte offsets of LF and CR characters at or after `#consumedTo`, in order. */
  #lineFeeds: number[] = [];
  #carriageReturns: number[] = [];
  #linesBefore = 0;
  #bytesSeen = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === LF) this.#lineFeeds.push(this.#bytesSeen + i);
      else if (byte === CR) this.#carriageReturns.push(this.#bytesSeen + i);
    }
    this.#bytesSeen += chunk.length;
    callback(null, chunk);
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
