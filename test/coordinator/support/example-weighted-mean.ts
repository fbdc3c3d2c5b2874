/** A plain example-weighted mean of updates (FedAvg's rule) against the Strategy interface, for tests. */
import type { ClientResult, Strategy } from '../../../coordinator/strategies/strategy.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor, ParameterSet } from '../../../engine/tensor/parameter-set.ts';

export function exampleWeightedMean(): Strategy {
  return {
    name: 'example-weighted-mean',
    needsIndividualUpdates: false,
    aggregate(global: ParameterSet, results: readonly ClientResult[]): ParameterSet {
      const total = results.reduce((sum, result) => sum + result.numExamples, 0);
      const next = new Map<string, Float32Tensor>();
      for (const [name, value] of global) {
        const data = Float32Array.from(value.data);
        for (const result of results) {
          const update = result.update.get(name)!.data;
          for (let i = 0; i < data.length; i += 1) data[i]! += (update[i]! * result.numExamples) / total;
        }
        next.set(name, tensor(value.shape, data));
      }
      return next;
    },
    saveState: () => null,
    restoreState: () => undefined,
  };
}
