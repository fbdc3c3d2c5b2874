import { describe, expect, it } from 'vitest';
import { updateCodec, updateEncodingNames } from '../../../engine/codec/update-codec-registry.ts';
import { specOf, tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { seededNormal } from '../../support/seeded-random.ts';

const normal = seededNormal(3);
const update: ParameterSet = new Map([
  ['trunk.weight', tensor([4, 5], Float32Array.from({ length: 20 }, normal))],
  ['head.bias', tensor([3], Float32Array.from({ length: 3 }, normal))],
]);
const spec = specOf(update);

describe('the update codec registry', () => {
  it.each(updateEncodingNames)('"%s" decodes exactly what it encodes (masking floats = masking the bytes)', (name) => {
    const codec = updateCodec(name);
    expect(codec.name).toBe(name);
    expect(codec.decode(codec.encode(update), spec)).toEqual(update);
  });

  it('"float32-le" is the values alone, little-endian, in the update\'s order', () => {
    const bytes = updateCodec('float32-le').encode(update);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values = Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
    expect(values).toEqual([...update.values()].flatMap((value) => [...value.data]));
  });

  it('"accord-update-v1" is self-describing and honours the reader\'s size limit', () => {
    const codec = updateCodec('accord-update-v1');
    const bytes = codec.encode(update);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('ACUP');
    expect(() => codec.decode(bytes, spec, { maxBytes: bytes.length - 1 })).toThrow(
      `update is ${bytes.length} bytes, over the limit of ${bytes.length - 1} bytes`,
    );
  });

  it('each decoder refuses the other encoding, naming why', () => {
    const raw = updateCodec('float32-le').encode(update);
    expect(() => updateCodec('accord-update-v1').decode(raw, spec)).toThrow('not an Accord update');
    const framed = updateCodec('accord-update-v1').encode(update);
    expect(() => updateCodec('float32-le').decode(framed, spec)).toThrow(`the model spec needs ${23 * 4}`);
  });

  it('refuses an unknown encoding name with the names it knows', () => {
    expect(() => updateCodec('zstd-v9')).toThrow(
      'unknown update encoding "zstd-v9" (known encodings: accord-update-v1, float32-le)',
    );
  });
});
