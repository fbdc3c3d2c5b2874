import { describe, expect, it } from 'vitest';
import { createUpdateEncoder } from '../../../engine/codec/encode-update.ts';
import { decodeUpdate } from '../../../engine/codec/decode-update.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import type { ErrorFeedback, UpdateEncoding } from '../../../engine/codec/update-codec.ts';
import { specOf, tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import { seededNormal, seededRandom } from '../../support/seeded-random.ts';

const encodeUpdate = createUpdateEncoder({ random: seededRandom(11) });

function randomUpdate(normal: () => number): ParameterSet {
  return new Map([
    ['trunk.weight', tensor([20, 30], Float32Array.from({ length: 600 }, normal))],
    ['heads.classify.bias', tensor([7], Float32Array.from({ length: 7 }, normal))],
  ]);
}

const update = randomUpdate(seededNormal(5));
const spec = specOf(update);

describe('encodeUpdate', () => {
  it('writes the documented layout (read back by hand) and decodes dense float32 exactly', () => {
    const small = new Map([['w', tensor([2], [1.5, -2])]]);
    const { bytes } = encodeUpdate(small, denseFloat32);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('ACUP');
    expect([view.getUint16(4, true), view.getUint16(6, true), view.getUint32(8, true)]).toEqual([1, 0, 1]);
    expect([view.getUint16(12, true), bytes[14], bytes[15], view.getUint32(16, true), bytes[20]]).toEqual([
      1, 119, 1, 2, 0,
    ]);
    expect([view.getFloat32(21, true), view.getFloat32(25, true)]).toEqual([1.5, -2]);
    expect(bytes.length).toBe(29);
    expect(decodeUpdate(encodeUpdate(update, denseFloat32).bytes, spec)).toEqual(update);
  });

  it('int8 uses about one byte per value and decodes within one step of each value', () => {
    const { bytes } = encodeUpdate(update, { quantization: 'int8', topKFraction: 1 });
    expect(bytes.length).toBeLessThan(607 + 100);
    const decoded = decodeUpdate(bytes, spec);
    for (const [name, value] of update) {
      const step = Math.max(...value.data.map(Math.abs)) / 127;
      decoded
        .get(name)!
        .data.forEach((v, i) => expect(Math.abs(v - value.data[i]!)).toBeLessThanOrEqual(step * 1.0001));
    }
  });

  it('top-k keeps ⌈f·n⌉ entries per tensor, the largest in magnitude, exactly', () => {
    const decoded = decodeUpdate(encodeUpdate(update, { quantization: 'none', topKFraction: 0.1 }).bytes, spec);
    for (const [name, value] of update) {
      const kept = decoded.get(name)!.data;
      const keptCount = kept.filter((v) => v !== 0).length;
      expect(keptCount).toBe(Math.ceil(0.1 * value.data.length));
      const smallestKept = Math.min(...[...kept].filter((v) => v !== 0).map(Math.abs));
      value.data.forEach((v, i) => {
        if (kept[i] !== 0) expect(kept[i]).toBe(v);
        else expect(Math.abs(v)).toBeLessThanOrEqual(smallestKept);
      });
    }
  });

  const lossy: UpdateEncoding[] = [
    { quantization: 'none', topKFraction: 0.05 },
    { quantization: 'int8', topKFraction: 0.05 },
    { quantization: 'int8', topKFraction: 1 },
  ];
  for (const encoding of lossy) {
    it(`error feedback (${encoding.quantization}, top ${encoding.topKFraction}): Σ sent + final residual = Σ inputs`, () => {
      const normal = seededNormal(99);
      const sentSum = new Map(spec.map((s) => [s.name, new Float64Array(s.shape.reduce((a, b) => a * b, 1))]));
      const inputSum = new Map(spec.map((s) => [s.name, new Float64Array(s.shape.reduce((a, b) => a * b, 1))]));
      let feedback: ErrorFeedback | undefined;
      for (let round = 0; round < 6; round++) {
        const input = randomUpdate(normal);
        const encoded = encodeUpdate(input, encoding, feedback);
        feedback = encoded.feedback;
        for (const [name, value] of decodeUpdate(encoded.bytes, spec)) {
          value.data.forEach((v, i) => (sentSum.get(name)![i]! += v));
          input.get(name)!.data.forEach((v, i) => (inputSum.get(name)![i]! += v));
        }
      }
      let sentSomethingLate = false;
      for (const [name, inputs] of inputSum) {
        const residual = feedback!.get(name)!;
        inputs.forEach((expected, i) => {
          // float32 additions across 6 rounds of values ~N(0, 1): a few ulps of the running sums.
          expect(Math.abs(sentSum.get(name)![i]! + residual[i]! - expected)).toBeLessThan(2e-5);
          if (Math.abs(sentSum.get(name)![i]! - expected) > 1e-3) sentSomethingLate = true;
        });
      }
      expect(sentSomethingLate).toBe(true); // the encoding is lossy per round, so the residual matters
    });
  }

  it('returns no residual for dense float32, and adds a given residual to the update', () => {
    const residual: ErrorFeedback = new Map([['w', Float32Array.from([0.5, 0.25])]]);
    const encoded = encodeUpdate(new Map([['w', tensor([2], [1, 2])]]), denseFloat32, residual);
    expect(encoded.feedback.size).toBe(0);
    expect([...decodeUpdate(encoded.bytes, [{ name: 'w', shape: [2] }]).get('w')!.data]).toEqual([1.5, 2.25]);
  });

  it('refuses NaN/Inf, a bad fraction and a residual of the wrong length, naming the tensor', () => {
    const bad = new Map([['w', tensor([3], [1, Number.NaN, 2])]]);
    expect(() => encodeUpdate(bad, denseFloat32)).toThrow('tensor "w" has a non-finite value (NaN) at index 1');
    expect(() => encodeUpdate(update, { quantization: 'none', topKFraction: 0 })).toThrow(
      'topKFraction must be in (0, 1], got 0',
    );
    const short: ErrorFeedback = new Map([['trunk.weight', new Float32Array(3)]]);
    const stale: ErrorFeedback = new Map([['old.weight', new Float32Array(3)]]);
    expect(() => encodeUpdate(update, denseFloat32, stale)).toThrow(
      'error feedback holds tensor "old.weight", which the update does not have',
    );
    expect(() => createUpdateEncoder({ int8ChunkSize: 0 })).toThrow(
      'int8ChunkSize must be a positive 32-bit integer, got 0',
    );
    expect(() => encodeUpdate(update, denseFloat32, short)).toThrow(
      'error feedback for tensor "trunk.weight" has 3 values, the tensor 600',
    );
  });
});
