/**
 * Accumulates embedding row gradients into a dense [vocabSize, dim] gradient on the host. This replaces
 * ScatterND with reduction=add, which onnxruntime computes wrongly with more than one thread (issue 18048).
 */
export function scatterAddRows(
  indices: BigInt64Array,
  rowGradients: Float32Array,
  vocabSize: number,
  dim: number,
  target: Float32Array = new Float32Array(vocabSize * dim),
): Float32Array {
  if (rowGradients.length !== indices.length * dim) {
    throw new Error(
      `scatterAddRows: ${indices.length} indices need ${indices.length * dim} row values, got ${rowGradients.length}`,
    );
  }
  if (target.length !== vocabSize * dim) {
    throw new Error(`scatterAddRows: target holds ${target.length} values, expected ${vocabSize}×${dim}`);
  }
  for (let row = 0; row < indices.length; row += 1) {
    const index = Number(indices[row]);
    if (!Number.isInteger(index) || index < 0 || index >= vocabSize) {
      throw new Error(`scatterAddRows: index ${index} at position ${row} is outside [0, ${vocabSize})`);
    }
    const base = index * dim;
    const source = row * dim;
    for (let column = 0; column < dim; column += 1) {
      target[base + column] = (target[base + column] as number) + (rowGradients[source + column] as number);
    }
  }
  return target;
}
