/**
 * Seeded parameter initialization from the engine's seeded generator, so that one seed gives bit-identical
 * parameters on every platform.
 */
import type { SeededRandom } from '../random/seeded-random.ts';

export type Initializer =
  { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'constant'; readonly value: number };

export const init = {
  normal: (std: number): Initializer => ({ kind: 'normal', std }),
  zeros: (): Initializer => ({ kind: 'constant', value: 0 }),
  ones: (): Initializer => ({ kind: 'constant', value: 1 }),
};

export function fillInitial(initializer: Initializer, size: number, random: SeededRandom): Float32Array {
  const data = new Float32Array(size);
  if (initializer.kind === 'constant') return data.fill(initializer.value);
  for (let i = 0; i < size; i += 1) data[i] = random.normal() * initializer.std;
  return data;
}
