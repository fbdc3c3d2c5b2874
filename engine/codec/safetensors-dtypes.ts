/**
 * Tensor bytes (little-endian) of a safetensors dtype widened to float32. F16 is IEEE 754 binary16; BF16 is the
 * upper half of a float32, so widening it is exact.
 */
import type { SafetensorsDtype } from './safetensors-header.ts';

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** binary16 → float32 by its fields: sign, 5-bit exponent (bias 15), 10-bit fraction. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function decodeTensorBytes(dtype: SafetensorsDtype, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'F32') {
    const values = new Float32Array(bytes.byteLength / 4);
    if (littleEndian) new Uint8Array(values.buffer).set(bytes);
    else for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
    return values;
  }
  const values = new Float32Array(bytes.byteLength / 2);
  if (dtype === 'BF16') {
    const widened = new Uint32Array(values.buffer);
    for (let i = 0; i < values.length; i++) widened[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < values.length; i++) values[i] = float16ToFloat32(view.getUint16(2 * i, true));
  }
  return values;
}

/** A float32 array's bytes, little-endian, without a copy where the platform is little-endian. */
export function float32Bytes(values: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => view.setFloat32(4 * i, x, true));
  return out;
}
