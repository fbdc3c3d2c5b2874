/** An update is the locally trained weights minus the round's global weights (what strategies aggregate). */
import { assertMatchesSpec, specOf, tensor } from '../tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../tensor/parameter-set.ts';

function combine(a: ParameterSet, b: ParameterSet, sign: 1 | -1): Map<string, Float32Tensor> {
  assertMatchesSpec(b, specOf(a));
  const out = new Map<string, Float32Tensor>();
  for (const [name, value] of a) {
    const other = (b.get(name) as Float32Tensor).data;
    out.set(
      name,
      tensor(
        value.shape,
        value.data.map((x, i) => x + sign * (other[i] as number)),
      ),
    );
  }
  return out;
}

/** local − global. */
export function updateDelta(local: ParameterSet, global: ParameterSet): Map<string, Float32Tensor> {
  return combine(local, global, -1);
}

/** global + delta. */
export function applyDelta(global: ParameterSet, delta: ParameterSet): Map<string, Float32Tensor> {
  return combine(global, delta, 1);
}
