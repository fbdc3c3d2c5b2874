import { describe, expect, it } from 'vitest';
import { readSafetensors, readSafetensorsHeader } from '../../../engine/codec/safetensors-reader.ts';
import { writeSafetensors } from '../../../engine/codec/safetensors-writer.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

/** A file assembled by hand from the format description: u64 LE header length, JSON, then data. */
function handMade(header: object, data: number[], pad = 0): Uint8Array {
  const json = JSON.stringify(header) + ' '.repeat(pad);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  out.set(data, 8 + json.length);
  return out;
}

// F32 1.5 = 0x3FC00000; F16 1.0 = 0x3C00, −2 = 0xC000, 65504 = 0x7BFF, 2^-24 = 0x0001;
// BF16 1.0 = 0x3F80, 3.140625 = 0x4049; F64 0.1 = 0x3FB999999999999A. All little-endian below.
const sample = handMade(
  {
    __metadata__: { format: 'pt' },
    half: { dtype: 'F16', shape: [2, 2], data_offsets: [4, 12] },
    single: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
    brain: { dtype: 'BF16', shape: [2], data_offsets: [12, 16] },
    double: { dtype: 'F64', shape: [], data_offsets: [16, 24] },
  },
  [
    0, 0, 0xc0, 0x3f, 0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x80, 0x3f, 0x49, 0x40, 0x9a, 0x99, 0x99, 0x99,
    0x99, 0x99, 0xb9, 0x3f,
  ],
  3,
);

describe('safetensors', () => {
  it('reads a hand-made file with F32, F16 (incl. subnormal), BF16 and F64, in data order', () => {
    const { tensors, metadata } = readSafetensors(sample);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(['single', 'half', 'brain', 'double']);
    expect([...tensors.get('single')!.data]).toEqual([1.5]);
    expect(tensors.get('half')!.shape).toEqual([2, 2]);
    expect([...tensors.get('half')!.data]).toEqual([1, -2, 65504, 2 ** -24]);
    expect([...tensors.get('brain')!.data]).toEqual([1, 3.140625]);
    expect(tensors.get('double')!.data[0]).toBe(Math.fround(0.1));
  });

  it('writes the layout by hand-checkable rules and reads back what it wrote', () => {
    const parameters = new Map([
      ['z.last', tensor([2, 3], [1, 2, 3, 4, 5, 6])],
      ['a.first', tensor([1], [-0.5])],
    ]);
    const bytes = writeSafetensors(parameters, { producer: 'accord' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
    expect(header['z.last']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header['a.first']).toEqual({ dtype: 'F32', shape: [1], data_offsets: [24, 28] });
    expect(new DataView(bytes.buffer).getFloat32(8 + headerLength + 24, true)).toBe(-0.5);
    const read = readSafetensors(bytes);
    expect(read.tensors).toEqual(parameters);
    expect([...read.tensors.keys()]).toEqual(['z.last', 'a.first']);
    expect(read.metadata).toEqual({ producer: 'accord' });
  });

  it('refuses malformed files, naming the problem', () => {
    const one = (entry: object, data: number[]) => handMade({ t: entry }, data);
    expect(() => readSafetensors(sample.subarray(0, 5))).toThrow('too short for its header length');
    expect(() => readSafetensors(sample.subarray(0, 40))).toThrow('runs past the end');
    expect(() => readSafetensors(handMade({}, []).fill(0x7b, 8))).toThrow('not valid JSON');
    expect(() => readSafetensors(one({ dtype: 'F17', shape: [1], data_offsets: [0, 4] }, [0, 0, 0, 0]))).toThrow(
      'unknown dtype "F17"',
    );
    expect(() => readSafetensors(one({ dtype: 'F32', shape: [2], data_offsets: [0, 4] }, [0, 0, 0, 0]))).toThrow(
      'tensor "t" of shape [2] F32 needs 8 bytes, its data_offsets span 4',
    );
    expect(() =>
      readSafetensors(one({ dtype: 'F32', shape: [1], data_offsets: [4, 8] }, new Array(8).fill(0))),
    ).toThrow('starts at byte 4, expected 0');
    expect(() =>
      readSafetensors(one({ dtype: 'F32', shape: [1], data_offsets: [0, 4] }, new Array(6).fill(0))),
    ).toThrow('data section is 6 bytes, the header describes 4');
    expect(() =>
      readSafetensors(one({ dtype: 'I64', shape: [1], data_offsets: [0, 8] }, new Array(8).fill(0))),
    ).toThrow('tensor "t" has dtype I64; only F32, F64, F16 and BF16');
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setBigUint64(0, 200_000_000n, true);
    expect(() => readSafetensorsHeader(huge)).toThrow('over the limit of 100000000');
  });
});
