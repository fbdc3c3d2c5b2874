/**
 * int8 quantization with one scale per chunk of values and stochastic rounding, so the decoded value
 * is unbiased: q = ⌊x/s + u⌋ with u ~ U[0, 1) gives E[q·s] = x (Alistarh et al. 2017, QSGD, with
 * 255 levels). The scale s = max|x|/127 over the chunk keeps |q| ≤ 127.
 */
export interface Int8Block {
  readonly chunkSize: number;
  readonly scales: Float32Array;
  readonly values: Int8Array;
}

/** 4096 values per scale: 0.1% overhead, and one outlier only coarsens its own chunk. */
export const defaultInt8ChunkSize = 4096;

function chunkScale(values: Float32Array, start: number, end: number): number {
  let max = 0;
  for (let i = start; i < end; i++) max = Math.max(max, Math.abs(values[i] as number));
  if (max === 0) return 0;
  let scale = Math.fround(max / 127);
  // The float32 scale may round below max/127; step up one ulp so that |x/s| ≤ 127 holds.
  if (max / scale > 127) scale = Math.fround(scale * (1 + 2 ** -23));
  return scale;
}

export function quantizeInt8(values: Float32Array, random: () => number, chunkSize = defaultInt8ChunkSize): Int8Block {
  const chunkCount = Math.ceil(values.length / chunkSize);
  const scales = new Float32Array(chunkCount);
  const quantized = new Int8Array(values.length);
  for (let chunk = 0; chunk < chunkCount; chunk++) {
    const start = chunk * chunkSize;
    const end = Math.min(start + chunkSize, values.length);
    const scale = chunkScale(values, start, end);
    scales[chunk] = scale;
    if (scale === 0) continue;
    const inverse = 1 / scale;
    for (let i = start; i < end; i++) {
      const level = Math.floor((values[i] as number) * inverse + random());
      quantized[i] = level > 127 ? 127 : level < -127 ? -127 : level;
    }
  }
  return { chunkSize, scales, values: quantized };
}

export function dequantizeInt8(block: Int8Block): Float32Array {
  const out = new Float32Array(block.values.length);
  for (let start = 0, chunk = 0; start < out.length; start += block.chunkSize, chunk++) {
    const scale = block.scales[chunk] as number;
    const end = Math.min(start + block.chunkSize, out.length);
    for (let i = start; i < end; i++) out[i] = (block.values[i] as number) * scale;
  }
  return out;
}
