import { describe, expect, it } from 'vitest';
import { parseSafetensorsHeader, safetensorsHeader } from '../../../engine/codec/safetensors-header.ts';

const json = (header: unknown) => new TextEncoder().encode(JSON.stringify(header));
const parse = (header: unknown) => parseSafetensorsHeader(json(header), 64, 'm');

describe('safetensors header', () => {
  it('lays tensors out in data order, with file offsets after the header and the metadata map', () => {
    const layout = parse({
      __metadata__: { step: '3' },
      b: { dtype: 'BF16', shape: [3], data_offsets: [8, 14] },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    });
    expect(layout.entries.map(({ name, fileOffset, byteLength }) => [name, fileOffset, byteLength])).toEqual([
      ['a', 64, 8],
      ['b', 72, 6],
    ]);
    expect(layout.dataBytes).toBe(14);
    expect(layout.metadata).toEqual({ step: '3' });
  });

  it('refuses overlapping and holed offsets, sizes that do not fit the dtype, and bad JSON', () => {
    const a = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
    expect(() => parse({ a, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } })).toThrow(
      'm: tensor "b" overlaps the tensor before it',
    );
    expect(() => parse({ a, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } })).toThrow(
      'm: tensor "b" starts at 12, expected 8',
    );
    expect(() => parse({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 8] } })).toThrow(
      'm: tensor "a" data_offsets [0, 8] do not fit its shape and dtype',
    );
    expect(() => parse({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 8] } })).toThrow('invalid shape');
    expect(() => parse({ __metadata__: { step: 3 }, a })).toThrow('m: __metadata__ "step" is not a string');
    expect(() => parseSafetensorsHeader(new TextEncoder().encode('{"a":'), 8, 'm')).toThrow(
      'm: header is not valid JSON',
    );
    expect(() => parse([a])).toThrow('m: header is not a JSON object');
  });

  it('writes a header whose parse gives back the specs, the metadata and 8-byte aligned data', () => {
    const specs = [
      { name: 'w', shape: [2, 3] },
      { name: 'b', shape: [3] },
    ];
    const bytes = safetensorsHeader(specs, { step: '7' });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(bytes.length).toBe(8 + length);
    expect(bytes.length % 8).toBe(0);
    const layout = parseSafetensorsHeader(bytes.subarray(8), bytes.length, 'm');
    expect(layout.entries.map(({ name, shape, dtype }) => ({ name, shape, dtype }))).toEqual(
      specs.map((spec) => ({ ...spec, dtype: 'F32' })),
    );
    expect(layout.dataBytes).toBe(36);
    expect(layout.metadata).toEqual({ step: '7' });
    expect(() => safetensorsHeader([{ name: '__metadata__', shape: [1] }])).toThrow('may not be named "__metadata__"');
  });
});
