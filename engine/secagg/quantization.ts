/**
 * Fixed-point quantization of an (already clipped and noised) update into Z_2^32, and back for the sum.
 *
 * Derivation. Each coordinate x must lie in [−R, R] (R = `clipRange`). With b = `bitsPerValue` bits a
 * participant sends q = round((x + R) / Δ) ∈ {0, …, L}, where L = 2^b − 1 and the step is Δ = 2R / L.
 * Rounding to the nearest level gives |qΔ − R − x| ≤ Δ/2. Masks cancel modulo 2^32, so the server
 * recovers S = Σ q mod 2^32; that is the true integer sum for every possible input exactly when
 * n·L ≤ 2^32 − 1, i.e. n ≤ n_max = ⌊(2^32 − 1) / L⌋ participants. Then Σ x = SΔ − nR ± nΔ/2: the
 * dequantized sum of n updates is within n·Δ/2 = n·R/(2^b − 1) of the exact sum, coordinate by
 * coordinate. Float64 arithmetic adds at most ~4·n·R·2^−53 more, far below Δ/2 for b ≤ 31; the bound
 * reported includes it. Examples: b = 16 → n_max = 65 537; b = 20 → 4 096; b = 24 → 256.
 */
export interface QuantizationConfig {
  /** R: every coordinate of every update must lie in [−R, R]. */
  readonly clipRange: number;
  /** b: bits per quantized coordinate, 1…31. Fewer bits admit more participants but a coarser step. */
  readonly bitsPerValue: number;
}

const modulusMinusOne = 2 ** 32 - 1;

export function validateQuantization(config: QuantizationConfig): void {
  if (!Number.isFinite(config.clipRange) || config.clipRange <= 0) {
    throw new RangeError(`quantization clipRange must be a finite positive number, got ${config.clipRange}`);
  }
  if (!Number.isInteger(config.bitsPerValue) || config.bitsPerValue < 1 || config.bitsPerValue > 31) {
    throw new RangeError(`quantization bitsPerValue must be an integer in 1…31, got ${config.bitsPerValue}`);
  }
}

/** L = 2^b − 1, the largest quantized value. */
export function maxLevel(config: QuantizationConfig): number {
  return 2 ** config.bitsPerValue - 1;
}

/** Δ = 2R / (2^b − 1). */
export function quantizationStep(config: QuantizationConfig): number {
  return (2 * config.clipRange) / maxLevel(config);
}

/** n_max = ⌊(2^32 − 1) / (2^b − 1)⌋: the most participants whose sum cannot wrap modulo 2^32. */
export function maxParticipants(config: QuantizationConfig): number {
  return Math.floor(modulusMinusOne / maxLevel(config));
}

/** The finest quantization (most bits) that still admits `participants` participants. */
export function quantizationFor(clipRange: number, participants: number): QuantizationConfig {
  if (!Number.isInteger(participants) || participants < 1 || participants > modulusMinusOne) {
    throw new RangeError(`participants must be an integer in 1…2^32 − 1, got ${participants}`);
  }
  let bitsPerValue = 31;
  while (bitsPerValue > 1 && maxParticipants({ clipRange, bitsPerValue }) < participants) bitsPerValue--;
  const config = { clipRange, bitsPerValue };
  validateQuantization(config);
  return config;
}

/** Bound on |dequantized sum − exact sum| for each coordinate of a sum over `count` updates. */
export function sumErrorBound(config: QuantizationConfig, count: number): number {
  return (count * quantizationStep(config)) / 2 + count * config.clipRange * 2 ** -50;
}

/** The update as levels in {0, …, 2^b − 1}; a value outside [−R, R] or not finite is refused by index. */
export function quantize(values: Float32Array, config: QuantizationConfig): Uint32Array {
  validateQuantization(config);
  const { clipRange } = config;
  const step = quantizationStep(config);
  const top = maxLevel(config);
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!(x >= -clipRange && x <= clipRange)) {
      throw new RangeError(
        `update value ${x} at index ${i} is outside the clipping range [−${clipRange}, ${clipRange}]`,
      );
    }
    out[i] = Math.min(top, Math.max(0, Math.round((x + clipRange) / step)));
  }
  return out;
}

/** A copy with every coordinate clamped into [−R, R], and how many were clamped (post-processing). */
export function clampToRange(values: Float32Array, clipRange: number): { values: Float32Array; clamped: number } {
  const out = new Float32Array(values.length);
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) throw new RangeError(`update value at index ${i} is NaN`);
    out[i] = Math.min(clipRange, Math.max(-clipRange, x));
    if (out[i] !== x) clamped++;
  }
  return { values: out, clamped };
}

/** Σ x ≈ S·Δ − count·R, for the sum S of `count` quantized updates. */
export function dequantizeSum(sum: Uint32Array, count: number, config: QuantizationConfig): Float64Array {
  validateQuantization(config);
  const limit = maxParticipants(config);
  if (!Number.isInteger(count) || count < 1 || count > limit) {
    throw new RangeError(
      `a sum of ${count} updates cannot be dequantized: 1…${limit} participants fit ${config.bitsPerValue} bits`,
    );
  }
  const step = quantizationStep(config);
  const offset = count * config.clipRange;
  return Float64Array.from(sum, (level) => level * step - offset);
}
