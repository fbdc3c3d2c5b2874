import { describe, expect, it } from 'vitest';
import { createUpdateEncoder } from '../../../engine/codec/encode-update.ts';
import { encodedUpdateSize, keptEntryCount } from '../../../engine/codec/encoded-size.ts';
import type { UpdateEncoding } from '../../../engine/codec/update-codec.ts';
import { specOf, tensor } from '../../../engine/tensor/parameter-set.ts';
import { seededRandom } from '../../support/seeded-random.ts';

describe('encodedUpdateSize', () => {
  it('keptEntryCount is ⌈f·n⌉ without floating-point surprises, at least 1, at most n', () => {
    expect(keptEntryCount(100, 0.07)).toBe(7); // 0.07 · 100 = 7.000000000000001 in floating point
    expect(keptEntryCount(100, 0.071)).toBe(8);
    expect(keptEntryCount(3, 0.01)).toBe(1);
    expect(keptEntryCount(5, 1)).toBe(5);
    expect(keptEntryCount(0, 0.5)).toBe(0);
  });

  it('worked by hand: one tensor "w" of shape [2], dense float32, is 12 + 2 + 1 + 1 + 4 + 1 + 8 = 29 bytes', () => {
    expect(encodedUpdateSize([{ name: 'w', shape: [2] }], { quantization: 'none', topKFraction: 1 })).toBe(29);
  });

  it('predicts the exact length of every encoding', () => {
    const random = seededRandom(3);
    const update = new Map([
      [
        'trunk.ß.weight',
        tensor(
          [33, 70],
          Float32Array.from({ length: 2310 }, () => random() - 0.5),
        ),
      ],
      [
        'heads.classify.bias',
        tensor(
          [5],
          Float32Array.from({ length: 5 }, () => random() - 0.5),
        ),
      ],
      ['scalar', tensor([], [0.25])],
    ]);
    const encode = createUpdateEncoder({ random, int8ChunkSize: 100 });
    const encodings: UpdateEncoding[] = [
      { quantization: 'none', topKFraction: 1 },
      { quantization: 'int8', topKFraction: 1 },
      { quantization: 'none', topKFraction: 0.07 },
      { quantization: 'int8', topKFraction: 0.3 },
    ];
    for (const encoding of encodings) {
      expect(encode(update, encoding).bytes.length).toBe(encodedUpdateSize(specOf(update), encoding, 100));
    }
  });
});
