import { describe, expect, it } from 'vitest';
import { decodeUpdate } from '../../../engine/codec/decode-update.ts';
import { encodedUpdateSize } from '../../../engine/codec/encoded-size.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import { updateCodec } from '../../../engine/codec/update-codec-registry.ts';
import {
  assertValidCompression,
  compressedUpdateSize,
  compressUpdate,
  describeCompression,
} from '../../../engine/codec/update-compression.ts';
import type { UpdateCompression } from '../../../engine/codec/update-compression.ts';
import { elementCount, specOf, tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { seededNormal } from '../../support/seeded-random.ts';

function randomUpdate(seed: number): ParameterSet {
  const normal = seededNormal(seed);
  return new Map([
    ['trunk.weight', tensor([40, 50], Float32Array.from({ length: 2000 }, normal))],
    ['head.bias', tensor([9], Float32Array.from({ length: 9 }, normal))],
  ]);
}

const spec = specOf(randomUpdate(1));
const topk: UpdateCompression = { method: 'topk', fraction: 0.05 };

/** Σ over rounds of what was decoded, plus the last residual, must be Σ of the updates (nothing lost). */
function sums(rounds: number, compression: UpdateCompression) {
  const sent = new Float64Array(2009);
  const updates = new Float64Array(2009);
  let residual;
  for (let round = 1; round <= rounds; round++) {
    const update = randomUpdate(round);
    const compressed = compressUpdate(update, compression, residual);
    residual = compressed.residual;
    const decoded = [...decodeUpdate(compressed.bytes, spec).values()].flatMap((t) => [...t.data]);
    const values = [...update.values()].flatMap((t) => [...t.data]);
    decoded.forEach((value, i) => (sent[i]! += value));
    values.forEach((value, i) => (updates[i]! += value));
  }
  const left = [...residual!.values()].flatMap((values) => [...values]);
  return { delivered: [...sent].map((value, i) => value + left[i]!), updates: [...updates] };
}

describe('compressUpdate', () => {
  it('top-k sends ⌈f·n⌉ entries of each tensor, in exactly the size the spec and fraction give', () => {
    const update = randomUpdate(1);
    const { bytes, residual } = compressUpdate(update, topk);
    expect(bytes.length).toBe(compressedUpdateSize(spec, topk));
    const decoded = decodeUpdate(bytes, spec);
    for (const [name, value] of update) {
      const sentCount = decoded.get(name)!.data.filter((v) => v !== 0).length;
      expect(sentCount).toBe(Math.ceil(0.05 * elementCount(value.shape)));
      // What was sent and what is left add up to the update, value by value.
      value.data.forEach((v, i) => expect(decoded.get(name)!.data[i]! + residual.get(name)![i]!).toBe(v));
    }
  });

  it.each([topk, { method: 'int8' } as const])('error feedback loses nothing over rounds (%o)', (compression) => {
    const { delivered, updates } = sums(5, compression);
    delivered.forEach((value, i) => expect(value).toBeCloseTo(updates[i]!, 4));
  });

  it('int8 decodes each value within one quantization step of its chunk', () => {
    const update = randomUpdate(2);
    const { bytes } = compressUpdate(update, { method: 'int8' });
    expect(bytes.length).toBe(compressedUpdateSize(spec, { method: 'int8' }));
    const decoded = decodeUpdate(bytes, spec);
    for (const [name, value] of update) {
      const step = Math.max(...value.data.map(Math.abs)) / 127;
      value.data.forEach((v, i) =>
        expect(Math.abs(decoded.get(name)!.data[i]! - v)).toBeLessThanOrEqual(step * 1.0001),
      );
    }
  });

  it('is refused, with the reason, for an unknown method, a fraction out of (0, 1) or a raw encoding', () => {
    const check = (value: unknown) => () => assertValidCompression(value as UpdateCompression);
    expect(check({ method: 'zip' })).toThrow('unknown compression method "zip" (known methods: int8, topk)');
    expect(check({ method: 'topk', fraction: 1 })).toThrow('compression.fraction must be a number in (0, 1)');
    expect(check({ method: 'topk' })).toThrow('got undefined');
    expect(() => updateCodec('float32-le', topk)).toThrow(
      'compression "topk 0.05" needs update encoding "accord-update-v1"',
    );
    expect(describeCompression(undefined)).toBe('none');
  });

  it('gives the registry an exact size, well under the dense one', () => {
    const bound = updateCodec('accord-update-v1', topk).encodedSize(spec);
    expect(bound).toEqual({ bytes: compressedUpdateSize(spec, topk), exact: true });
    expect(bound.bytes).toBeLessThan(encodedUpdateSize(spec, denseFloat32) * 2 * 0.05 * 1.1);
  });

  it('sends whole, and leaves no residual for, a tensor whose top-k form would not be smaller', () => {
    const tiny: ParameterSet = new Map([
      ['trunk.weight', randomUpdate(4).get('trunk.weight')!],
      ['scale', tensor([], [0.5])],
      ['head.bias', tensor([2], [0.25, -0.75])],
    ]);
    const { bytes, residual } = compressUpdate(tiny, topk);
    expect(bytes.length).toBe(compressedUpdateSize(specOf(tiny), topk));
    const decoded = decodeUpdate(bytes, specOf(tiny));
    for (const name of ['scale', 'head.bias']) {
      expect(decoded.get(name)).toEqual(tiny.get(name));
      expect(residual.get(name)).toEqual(new Float32Array(tiny.get(name)!.data.length));
    }
    expect(decoded.get('trunk.weight')!.data.filter((v) => v !== 0)).toHaveLength(Math.ceil(0.05 * 2000));
  });
});
