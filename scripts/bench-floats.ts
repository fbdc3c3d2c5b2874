/** Benchmark data: float32 values in a smooth pattern, written a block at a time (never held whole). */
const mib = 1024 * 1024;

/** Writes `elements` values through `writer`, 4 MiB at a time. */
export async function writeFloats(
  writer: { append(values: Float32Array): Promise<void> },
  elements: number,
  seed: number,
): Promise<void> {
  const block = new Float32Array(mib);
  for (let done = 0; done < elements; done += block.length) {
    const count = Math.min(block.length, elements - done);
    for (let i = 0; i < count; i += 1) block[i] = Math.sin((done + i) * 1e-3 + seed) * 0.01;
    await writer.append(block.subarray(0, count));
  }
}
