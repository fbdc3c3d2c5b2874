import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertSafetensorsMatchSpec,
  readSafetensorsFile,
  writeSafetensorsFile,
} from '../../../engine/codec/safetensors-file.ts';
import { decodeFloat32Update, encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';

const weights = new Map([
  ['a', tensor([2, 2], [1, 2, 3, 4])],
  ['b', tensor([3], [-1, 0.5, 8])],
]);
const spec = [...weights].map(([name, value]) => ({ name, shape: value.shape }));

describe('safetensors files', () => {
  it('writes the layout of the format (u64 header length, JSON header, aligned little-endian data)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'accord-st-')), 'w.safetensors');
    await writeSafetensorsFile(path, weights);
    const bytes = readFileSync(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [3], data_offsets: [16, 28] });
    expect(bytes.readFloatLE(8 + headerLength + 16)).toBe(-1);
    expect(await readSafetensorsFile(path, spec)).toEqual(weights);
  });

  it('names the tensor whose shape differs from the spec, and a truncated file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-st-'));
    const path = join(dir, 'w.safetensors');
    await writeSafetensorsFile(path, weights);
    await expect(assertSafetensorsMatchSpec(path, [spec[0]!, { name: 'b', shape: [4] }])).rejects.toThrow(
      /tensor "b" has shape \[3\], expected \[4\]/,
    );
    await expect(assertSafetensorsMatchSpec(path, [spec[0]!])).rejects.toThrow(/holds 2 tensors, the model spec has 1/);
    writeFileSync(join(dir, 'cut.safetensors'), readFileSync(path).subarray(0, -4));
    await expect(assertSafetensorsMatchSpec(join(dir, 'cut.safetensors'), spec)).rejects.toThrow(/truncated/);
  });
});

describe('raw float32 updates', () => {
  it('round-trips and refuses a wrong size or a non-finite value, naming where', () => {
    const bytes = encodeFloat32Update(weights, spec);
    expect(bytes).toHaveLength(28);
    expect(new DataView(bytes.buffer).getFloat32(16, true)).toBe(-1);
    expect(decodeFloat32Update(bytes, spec)).toEqual(weights);
    expect(() => decodeFloat32Update(bytes.subarray(4), spec)).toThrow(/24 bytes, the model spec needs 28/);
    new DataView(bytes.buffer).setFloat32(20, Infinity, true);
    expect(() => decodeFloat32Update(bytes, spec)).toThrow(/tensor "b" holds Infinity at element 1/);
  });
});
