/**
 * The indices of the k entries largest in magnitude, ascending. Selection is O(n): a quickselect
 * finds the k-th largest magnitude, then one pass keeps everything above it and fills ties in
 * index order, so the choice is deterministic.
 */
function kthLargest(magnitudes: Float32Array, k: number): number {
  const target = magnitudes.length - k; // index of the threshold in ascending order
  let low = 0;
  let high = magnitudes.length - 1;
  while (low < high) {
    const pivot = medianOfThree(magnitudes, low, high);
    let i = low;
    let j = high;
    while (i <= j) {
      while ((magnitudes[i] as number) < pivot) i++;
      while ((magnitudes[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = magnitudes[i] as number;
        magnitudes[i++] = magnitudes[j] as number;
        magnitudes[j--] = swap;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return magnitudes[target] as number;
}

function medianOfThree(values: Float32Array, low: number, high: number): number {
  const a = values[low] as number;
  const b = values[(low + high) >>> 1] as number;
  const c = values[high] as number;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

export function topKIndices(values: Float32Array, k: number): Uint32Array {
  if (k >= values.length) return Uint32Array.from(values.keys());
  if (k <= 0) return new Uint32Array(0);
  const magnitudes = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) magnitudes[i] = Math.abs(values[i] as number);
  const threshold = kthLargest(magnitudes, k);
  let above = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i] as number) > threshold) above++;
  let ties = k - above;
  const chosen = new Uint32Array(k);
  let count = 0;
  for (let i = 0; i < values.length && count < k; i++) {
    const magnitude = Math.abs(values[i] as number);
    if (magnitude > threshold) chosen[count++] = i;
    else if (magnitude === threshold && ties > 0) {
      chosen[count++] = i;
      ties--;
    }
  }
  return chosen;
}
