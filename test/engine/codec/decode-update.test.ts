import { describe, expect, it } from 'vitest';
import { createUpdateEncoder } from '../../../engine/codec/encode-update.ts';
import { createUpdateDecoder, decodeUpdate } from '../../../engine/codec/decode-update.ts';
import { denseFloat32 } from '../../../engine/codec/update-codec.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { seededRandom } from '../../support/seeded-random.ts';

const encodeUpdate = createUpdateEncoder({ random: seededRandom(1) });
const update = new Map([
  ['a', tensor([2, 2], [1, 2, 3, 4])],
  ['b', tensor([3], [5, 6, 7])],
]);
const spec = [
  { name: 'a', shape: [2, 2] },
  { name: 'b', shape: [3] },
];
const dense = encodeUpdate(update, denseFloat32).bytes;
// Offsets in `dense`: header 12; tensor a: name length 12, name 14, rank 15, dims 16–23, encoding 24, values 25–40;
// tensor b: name length 41, name 43, rank 44, dim 45, encoding 49, values 50–61.

function patched(offset: number, write: (view: DataView) => void, from = dense): Uint8Array {
  const copy = Uint8Array.from(from);
  write(new DataView(copy.buffer, offset));
  return copy;
}

/** Tensor a as sparse-float32 (k = 2: indices 2, 3), by hand: the encoder writes a tensor this small dense. */
function sparseA(): Uint8Array {
  const head = Uint8Array.from(dense.subarray(0, 25));
  head[24] = 2;
  const body = new DataView(new ArrayBuffer(20));
  [2, 2, 3].forEach((value, i) => body.setUint32(4 * i, value, true));
  body.setFloat32(12, 3, true);
  body.setFloat32(16, 4, true);
  return Uint8Array.from([...head, ...new Uint8Array(body.buffer), ...dense.subarray(41)]);
}

describe('decodeUpdate refuses bad input precisely', () => {
  it('an update over the size limit', () => {
    expect(() => createUpdateDecoder({ maxBytes: 40 })(dense, spec)).toThrow(
      `update is ${dense.length} bytes, over the limit of 40 bytes`,
    );
  });

  it('truncated input, saying what was being read', () => {
    expect(() => decodeUpdate(dense.subarray(0, 30), spec)).toThrow(
      'update truncated: the values of tensor "a" needs 16 bytes at offset 25, only 5 remain',
    );
    expect(() => decodeUpdate(dense.subarray(0, 6), spec)).toThrow('update truncated: the reserved field');
    for (let cut = 0; cut < dense.length; cut++)
      expect(() => decodeUpdate(dense.subarray(0, cut), spec)).toThrow('truncated');
  });

  it('wrong magic, unsupported version and trailing bytes', () => {
    expect(() =>
      decodeUpdate(
        patched(0, (v) => v.setUint8(0, 0x58)),
        spec,
      ),
    ).toThrow('not an Accord update: magic bytes are "XCUP"');
    expect(() =>
      decodeUpdate(
        patched(4, (v) => v.setUint16(0, 2, true)),
        spec,
      ),
    ).toThrow('update format version 2 is not supported');
    expect(() => decodeUpdate(Uint8Array.of(...dense, 0, 0), spec)).toThrow('2 unexpected bytes after the last tensor');
  });

  it('unknown, repeated and missing tensor names', () => {
    expect(() =>
      decodeUpdate(
        patched(14, (v) => v.setUint8(0, 0x7a)),
        spec,
      ),
    ).toThrow('unknown tensor "z" (not in the model spec)');
    expect(() =>
      decodeUpdate(
        patched(43, (v) => v.setUint8(0, 0x61)),
        spec,
      ),
    ).toThrow('tensor "a" appears twice');
    const onlyA = encodeUpdate(new Map([['a', update.get('a')!]]), denseFloat32).bytes;
    expect(() => decodeUpdate(onlyA, spec)).toThrow('missing tensor "b"');
    expect(() => decodeUpdate(dense, [spec[0]!])).toThrow('update declares 2 tensors, the model has 1');
  });

  it('a shape that differs from the spec', () => {
    expect(() => decodeUpdate(dense, [{ name: 'a', shape: [4] }, spec[1]!])).toThrow(
      'tensor "a" has shape [2, 2], the model expects [4]',
    );
  });

  it('NaN and Inf values, an unknown encoding and a bad int8 scale', () => {
    expect(() =>
      decodeUpdate(
        patched(29, (v) => v.setFloat32(0, Number.NaN, true)),
        spec,
      ),
    ).toThrow('tensor "a" has a non-finite value (NaN) at index 1');
    expect(() =>
      decodeUpdate(
        patched(58, (v) => v.setFloat32(0, -Infinity, true)),
        spec,
      ),
    ).toThrow('tensor "b" has a non-finite value (-Infinity) at index 2');
    expect(() =>
      decodeUpdate(
        patched(24, (v) => v.setUint8(0, 9)),
        spec,
      ),
    ).toThrow('tensor "a" has unknown encoding 9');
    const int8 = encodeUpdate(update, { quantization: 'int8', topKFraction: 1 }).bytes;
    // tensor a's int8 block: chunk size at 25, its one scale at 29.
    expect(() =>
      decodeUpdate(
        patched(29, (v) => v.setFloat32(0, Infinity, true), int8),
        spec,
      ),
    ).toThrow('tensor "a": int8 scale 0 is Infinity, not a finite value ≥ 0');
  });

  it('sparse counts and indices out of range or out of order', () => {
    const sparse = sparseA();
    expect([...decodeUpdate(sparse, spec).get('a')!.data]).toEqual([0, 0, 3, 4]);
    // tensor a: k at 25, indices at 29 and 33.
    expect(() =>
      decodeUpdate(
        patched(25, (v) => v.setUint32(0, 5, true), sparse),
        spec,
      ),
    ).toThrow('tensor "a" keeps 5 entries but has only 4');
    expect(() =>
      decodeUpdate(
        patched(33, (v) => v.setUint32(0, 2, true), sparse),
        spec,
      ),
    ).toThrow('tensor "a": sparse index 2 at position 1 is out of range or not increasing');
    expect(() =>
      decodeUpdate(
        patched(33, (v) => v.setUint32(0, 4, true), sparse),
        spec,
      ),
    ).toThrow('sparse index 4');
  });
});

describe('decodeUpdate on corrupted bytes', () => {
  it('either refuses with an Error or returns finite tensors of the spec’s shapes, for 2000 random corruptions', () => {
    const random = seededRandom(77);
    const encodings = [
      dense,
      encodeUpdate(update, { quantization: 'int8', topKFraction: 1 }).bytes,
      encodeUpdate(update, { quantization: 'int8', topKFraction: 0.5 }).bytes,
    ];
    let refused = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = Uint8Array.from(encodings[trial % encodings.length]!);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      try {
        const decoded = decodeUpdate(bytes, spec);
        for (const entry of spec) {
          expect(decoded.get(entry.name)!.shape).toEqual(entry.shape);
          expect(decoded.get(entry.name)!.data.every(Number.isFinite)).toBe(true);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message.length).toBeGreaterThan(10);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(500);
  });
});
