/** Reads the update format with bounds checks: running out of bytes is a "truncated" error naming what was being read. */
export class ByteReader {
  private readonly view: DataView;
  private readonly data: Uint8Array;
  offset = 0;

  constructor(data: Uint8Array) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  private need(byteCount: number, what: string): number {
    if (byteCount > this.remaining) {
      throw new Error(
        `update truncated: ${what} needs ${byteCount} bytes at offset ${this.offset}, only ${this.remaining} remain`,
      );
    }
    const start = this.offset;
    this.offset += byteCount;
    return start;
  }

  u8(what: string): number {
    return this.view.getUint8(this.need(1, what));
  }

  u16(what: string): number {
    return this.view.getUint16(this.need(2, what), true);
  }

  u32(what: string): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  /** A copy, so typed views over it are aligned and independent of the input. */
  bytes(byteCount: number, what: string): Uint8Array {
    const start = this.need(byteCount, what);
    return this.data.slice(start, start + byteCount);
  }

  float32s(count: number, what: string): Float32Array {
    return new Float32Array(this.bytes(count * 4, what).buffer);
  }

  uint32s(count: number, what: string): Uint32Array {
    return new Uint32Array(this.bytes(count * 4, what).buffer);
  }

  int8s(count: number, what: string): Int8Array {
    return new Int8Array(this.bytes(count, what).buffer);
  }
}
