/**
 * A minimal length-prefixed binary format for the secure-aggregation messages: big-endian lengths,
 * UTF-8 strings, raw byte fields. Every read is bounds-checked so a truncated or padded message fails
 * with the name of the field that did not fit.
 */
import { SecAggProtocolError } from './errors.ts';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  u8(value: number): this {
    return this.push(Uint8Array.of(value));
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new SecAggProtocolError(`cannot encode ${value} as an unsigned 32-bit integer`);
    }
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value);
    return this.push(bytes);
  }

  f64(value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value);
    return this.push(bytes);
  }

  bytes(value: Uint8Array): this {
    this.u32(value.byteLength);
    return this.push(value);
  }

  string(value: string): this {
    return this.bytes(utf8.encode(value));
  }

  strings(values: readonly string[]): this {
    this.u32(values.length);
    for (const value of values) this.string(value);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.byteLength;
    return this;
  }
}

export class ByteReader {
  private offset = 0;
  private readonly view: DataView;
  private readonly source: Uint8Array;

  constructor(source: Uint8Array) {
    this.source = source;
    this.view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.offset++);
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  f64(field: string): number {
    this.need(8, field);
    const value = this.view.getFloat64(this.offset);
    this.offset += 8;
    return value;
  }

  /** A copy, so decoded messages never alias the (possibly reused) transport buffer. */
  bytes(field: string): Uint8Array {
    const length = this.u32(`${field} length`);
    this.need(length, field);
    const value = this.source.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(field: string): string {
    const raw = this.bytes(field);
    try {
      return fromUtf8.decode(raw);
    } catch {
      throw new SecAggProtocolError(`${field} is not valid UTF-8`);
    }
  }

  strings(field: string): string[] {
    const count = this.u32(`${field} count`);
    return Array.from({ length: count }, (_, index) => this.string(`${field}[${index}]`));
  }

  /** Items of a list, each read by `item`; the count is checked against the bytes left. */
  list<T>(field: string, item: (index: number) => T): T[] {
    const count = this.u32(`${field} count`);
    if (count > this.source.byteLength - this.offset) {
      throw new SecAggProtocolError(`${field} claims ${count} items but only ${this.remaining()} bytes remain`);
    }
    return Array.from({ length: count }, (_, index) => item(index));
  }

  end(message: string): void {
    if (this.offset !== this.source.byteLength) {
      throw new SecAggProtocolError(`${message} has ${this.remaining()} unexpected trailing bytes`);
    }
  }

  private remaining(): number {
    return this.source.byteLength - this.offset;
  }

  private need(count: number, field: string): void {
    if (this.offset + count > this.source.byteLength) {
      throw new SecAggProtocolError(`message truncated while reading ${field}`);
    }
  }
}
