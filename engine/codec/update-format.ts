/**
 * The update wire format, version 1 (all integers and floats little-endian):
 *
 *   "ACUP" | u16 version = 1 | u16 reserved = 0 | u32 tensor count
 *   per tensor:
 *     u16 name length | name (UTF-8) | u8 rank | u32 × rank dims | u8 encoding | payload
 *   payloads (n = the tensor's element count):
 *     dense-float32   f32 × n
 *     dense-int8      int8 block over n values
 *     sparse-float32  u32 k | u32 × k indices, strictly increasing | f32 × k
 *     sparse-int8     u32 k | u32 × k indices, strictly increasing | int8 block over k values
 *   int8 block over m values: u32 chunk size c | f32 × ⌈m/c⌉ scales (≥ 0) | i8 × m; value = q · scale
 *
 * Every length is implied by the header, so a reader knows the size it needs before reading data.
 */
export const updateMagic = 'ACUP';
export const updateFormatVersion = 1;

export const tensorEncodings = ['dense-float32', 'dense-int8', 'sparse-float32', 'sparse-int8'] as const;
export type TensorEncoding = (typeof tensorEncodings)[number];

/** Updates larger than this are refused before parsing unless the decoder is given another limit. */
export const defaultMaxUpdateBytes = 2 ** 31;

/** The format stores floats little-endian; the typed-array fast path relies on the host agreeing. */
if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  throw new Error('the update codec needs a little-endian host');
}

/** The bytes of a typed array, without copying. */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Collects pieces and joins them with one allocation at the end. */
export class ByteWriter {
  private readonly pieces: Uint8Array[] = [];
  private length = 0;

  bytes(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.length += piece.length;
  }

  u8(value: number): void {
    this.bytes(Uint8Array.of(value));
  }

  u16(value: number): void {
    const piece = new Uint8Array(2);
    new DataView(piece.buffer).setUint16(0, value, true);
    this.bytes(piece);
  }

  u32(value: number): void {
    const piece = new Uint8Array(4);
    new DataView(piece.buffer).setUint32(0, value, true);
    this.bytes(piece);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const piece of this.pieces) {
      out.set(piece, offset);
      offset += piece.length;
    }
    return out;
  }
}
