import { describe, expect, it } from 'vitest';
import {
  clampToRange,
  dequantizeSum,
  maxParticipants,
  quantizationFor,
  quantizationStep,
  quantize,
  sumErrorBound,
} from '../../../engine/secagg/quantization.ts';

describe('fixed-point quantization into Z_2^32', () => {
  it('derives n_max so that n_max·(2^b − 1) fits in 32 bits and one more does not (checked with BigInt)', () => {
    for (let bits = 1; bits <= 31; bits++) {
      const n = BigInt(maxParticipants({ clipRange: 1, bitsPerValue: bits }));
      const top = (1n << BigInt(bits)) - 1n;
      expect(n * top <= 2n ** 32n - 1n).toBe(true);
      expect((n + 1n) * top > 2n ** 32n - 1n).toBe(true);
    }
    // Worked by hand: (2^32 − 1)/(2^16 − 1) = 2^16 + 1 exactly; (2^32 − 1)/(2^24 − 1) = 256.00…
    expect(maxParticipants({ clipRange: 1, bitsPerValue: 16 })).toBe(65537);
    expect(maxParticipants({ clipRange: 1, bitsPerValue: 24 })).toBe(256);
  });

  it('has step 2R/(2^b − 1): with b = 2 the levels are −R, −R/3, R/3, R', () => {
    const config = { clipRange: 3, bitsPerValue: 2 };
    expect(quantizationStep(config)).toBe(2);
    expect([...quantize(Float32Array.of(-3, -1, 1, 3, -2.1, 0.1), config)]).toEqual([0, 1, 2, 3, 0, 2]);
  });

  it('picks the finest width that still admits the requested participants', () => {
    const config = quantizationFor(0.5, 100);
    expect(config.bitsPerValue).toBe(25); // 2^25 − 1 = 33 554 431 ≤ (2^32 − 1)/100 < 2^26 − 1
    expect(maxParticipants(config)).toBeGreaterThanOrEqual(100);
    expect(maxParticipants({ ...config, bitsPerValue: 26 })).toBeLessThan(100);
  });

  it('dequantizes a sum of n updates to within n·Δ/2 of the exact sum, including at ±R', () => {
    const config = { clipRange: 0.75, bitsPerValue: 12 };
    const n = 40;
    const length = 500;
    const exact = new Float64Array(length);
    const sum = new Uint32Array(length);
    for (let k = 0; k < n; k++) {
      const update = Float32Array.from({ length }, (_, i) =>
        i === 0 ? 0.75 : i === 1 ? -0.75 : (Math.random() * 2 - 1) * 0.75,
      );
      quantize(update, config).forEach((level, i) => (sum[i] = sum[i]! + level));
      update.forEach((value, i) => (exact[i] = exact[i]! + value));
    }
    const decoded = dequantizeSum(sum, n, config);
    const bound = (n * (1.5 / 4095)) / 2;
    expect(sumErrorBound(config, n)).toBeGreaterThanOrEqual(bound);
    let worst = 0;
    decoded.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - exact[i]!))));
    expect(worst).toBeLessThanOrEqual(bound * (1 + 1e-9));
    // The end points are exact: R and −R are levels.
    expect(decoded[0]).toBeCloseTo(n * 0.75, 9);
    expect(decoded[1]).toBeCloseTo(-n * 0.75, 9);
  });

  it('refuses values outside [−R, R] and NaN, naming the index', () => {
    const config = { clipRange: 1, bitsPerValue: 16 };
    expect(() => quantize(Float32Array.of(0, 1.0001), config)).toThrow(
      /value 1\.000\d* at index 1 is outside the clipping range \[−1, 1\]/,
    );
    expect(() => quantize(Float32Array.of(Number.NaN), config)).toThrow(/NaN at index 0/);
  });

  it('refuses to dequantize a sum of more updates than the width admits', () => {
    expect(() => dequantizeSum(new Uint32Array(1), 257, { clipRange: 1, bitsPerValue: 24 })).toThrow(
      /1…256 participants/,
    );
  });

  it('clamps into range on request and says how many values it changed', () => {
    const { values, clamped } = clampToRange(Float32Array.of(-3, 0.5, 2), 1);
    expect([...values]).toEqual([-1, 0.5, 1]);
    expect(clamped).toBe(2);
  });
});
