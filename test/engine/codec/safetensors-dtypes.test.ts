import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../engine/codec/safetensors-buffer.ts';
import { readSafetensorsFile } from '../../../engine/codec/safetensors-file.ts';

/** A one-tensor file of 16-bit values, built from the format description. */
function halfFile(dtype: 'F16' | 'BF16', bits: readonly number[]): Buffer {
  const json = Buffer.from(JSON.stringify({ x: { dtype, shape: [bits.length], data_offsets: [0, 2 * bits.length] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const data = Buffer.alloc(2 * bits.length);
  bits.forEach((b, i) => data.writeUInt16LE(b, 2 * i));
  return Buffer.concat([length, json, data]);
}

/** The float32 whose IEEE 754 bits are `bits`, read back through a typed-array view. */
function float32FromBits(bits: number): number {
  return new Float32Array(Uint32Array.of(bits >>> 0).buffer)[0]!;
}

/** binary16 normal numbers re-biased field by field into binary32 (exponent bias 15 → 127, fraction 10 → 23 bits). */
function float16NormalAsFloat32(bits: number): number {
  const sign = (bits >>> 15) & 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  return float32FromBits((sign << 31) | ((exponent - 15 + 127) << 23) | (fraction << 13));
}

describe('safetensors half-precision dtypes', () => {
  it('widens every normal F16 value exactly, in memory and from a file', async () => {
    const bits: number[] = [];
    for (let b = 0; b < 0x10000; b += 1) {
      const exponent = (b >>> 10) & 0x1f;
      if (exponent !== 0 && exponent !== 0x1f) bits.push(b);
    }
    const expected = Float32Array.from(bits, float16NormalAsFloat32);
    const bytes = halfFile('F16', bits);
    expect(decodeSafetensors(bytes).tensors.get('x')!.data).toEqual(expected);
    const path = join(mkdtempSync(join(tmpdir(), 'accord-st-')), 'half.safetensors');
    writeFileSync(path, bytes);
    expect((await readSafetensorsFile(path)).get('x')!.data).toEqual(expected);
  });

  it('reads F16 subnormals, zeros, infinities and NaN by the IEEE 754 binary16 definitions', () => {
    const data = decodeSafetensors(halfFile('F16', [0x0001, 0x03ff, 0x8000, 0x7c00, 0xfc00, 0x7e00])).tensors.get(
      'x',
    )!.data;
    expect([...data.subarray(0, 5)]).toEqual([2 ** -24, 1023 * 2 ** -24, -0, Infinity, -Infinity]);
    expect(data[5]).toBeNaN();
  });

  it('widens BF16 as the upper half of a float32', async () => {
    const upperHalves = [0x3fc0, 0xc2f7, 0x0001, 0x7f7f, 0xff80];
    const expected = Float32Array.from(upperHalves, (half) => float32FromBits(half << 16));
    const bytes = halfFile('BF16', upperHalves);
    expect(decodeSafetensors(bytes).tensors.get('x')!.data).toEqual(expected);
    expect(expected[0]).toBe(1.5);
    const path = join(mkdtempSync(join(tmpdir(), 'accord-st-')), 'bf16.safetensors');
    writeFileSync(path, bytes);
    expect((await readSafetensorsFile(path)).get('x')!.data).toEqual(expected);
  });
});
