import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lazySafetensorsFile } from '../../../engine/codec/safetensors-lazy.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { safetensorsBytes } from '../nn/hf-folder/model-folder-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-lazy-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safetensors read lazily, one tensor at a time', () => {
  // 2100 × 1000 BF16 is 4.2 MB: more than one conversion band, so band edges are crossed.
  const [rows, cols] = [2100, 1000];
  const matrix = tensor(
    [rows, cols],
    Float32Array.from({ length: rows * cols }, (_, i) => ((i % 251) - 125) / 64),
  );
  const small = tensor([3], [0.5, -2, 1.25]);

  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    it(`${dtype}: reads each tensor from its offset, and a matrix straight into its transpose`, () => {
      const path = join(dir, `${dtype}.safetensors`);
      writeFileSync(
        path,
        safetensorsBytes(
          new Map([
            ['small', small],
            ['matrix', matrix],
          ]),
          dtype,
        ),
      );
      const file = lazySafetensorsFile(path);
      try {
        expect([...file.keys()]).toEqual(['small', 'matrix']);
        expect(file.get('small')!.data).toEqual(small.data);
        expect(file.get('matrix')!.data).toEqual(matrix.data);
        const transposed = file.getTransposed('matrix')!;
        expect(transposed.shape).toEqual([cols, rows]);
        for (const [r, c] of [
          [0, 0],
          [1, 999],
          [2099, 0],
          [1048, 517],
          [2099, 999],
        ] as const)
          expect(transposed.data[c * rows + r]).toBe(matrix.data[r * cols + c]);
        expect(file.get('absent')).toBeUndefined();
      } finally {
        file.close();
      }
    });
  }

  it('names the file when its data ends early', () => {
    const path = join(dir, 'short.safetensors');
    const bytes = safetensorsBytes(new Map([['small', small]]), 'F32');
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    expect(() => lazySafetensorsFile(path)).toThrow(/short\.safetensors/);
  });
});
