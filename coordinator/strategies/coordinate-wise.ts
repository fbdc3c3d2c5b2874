/**
 * Robust aggregation over each coordinate separately (Yin, Chen, Ramchandran, Bartlett 2018,
 * "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates"): the coordinate-wise
 * median and the coordinate-wise β-trimmed mean of the participants' deltas. Both are unweighted, as
 * in the paper (weighting by claimed example counts would hand an attacker the weight it claims), and
 * both need every individual update, so they cannot run under secure aggregation.
 */
import type { Float32Tensor, ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { addToGlobal, assertValidResults } from './aggregation-math.ts';
import { parseState } from './strategy-state.ts';
import type { StrategyState } from './strategy-state.ts';
import type { ClientResult, Strategy } from './strategy.ts';

/** Reduces one coordinate's values, sorted ascending, to the aggregated delta. */
type SortedReducer = (sorted: Float64Array) => number;

function coordinateWiseDelta(
  global: ParameterSet,
  results: readonly ClientResult[],
  reduce: SortedReducer,
): Map<string, Float64Array> {
  const step = new Map<string, Float64Array>();
  const column = new Float64Array(results.length);
  for (const name of global.keys()) {
    const deltas = results.map((result) => (result.update.get(name) as Float32Tensor).data);
    const size = (deltas[0] as Float32Array).length;
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < deltas.length; j++) column[j] = (deltas[j] as Float32Array)[i] as number;
      column.sort();
      out[i] = reduce(column);
    }
    step.set(name, out);
  }
  return step;
}

export const median: SortedReducer = (sorted) => {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Drops ⌊β·n⌋ values from each end and averages the rest. */
export function trimmedMean(beta: number): SortedReducer {
  return (sorted) => {
    const cut = Math.floor(beta * sorted.length);
    let sum = 0;
    for (let i = cut; i < sorted.length - cut; i++) sum += sorted[i] as number;
    return sum / (sorted.length - 2 * cut);
  };
}

abstract class CoordinateWise implements Strategy {
  abstract readonly name: string;
  readonly needsIndividualUpdates = true;
  readonly aggregatesByWeightedMean = false;
  private lastRound = 0;

  protected abstract reducer(): SortedReducer;

  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet {
    assertValidResults(global, results);
    this.lastRound = round;
    return addToGlobal(global, coordinateWiseDelta(global, results, this.reducer()));
  }

  saveState(): StrategyState {
    return { strategy: this.name, version: 1, round: this.lastRound, buffers: {} };
  }

  restoreState(state: unknown): void {
    this.lastRound = parseState(state, this.name).round;
  }
}

export class CoordinateWiseMedian extends CoordinateWise {
  readonly name = 'median';
  protected reducer(): SortedReducer {
    return median;
  }
}

export class TrimmedMean extends CoordinateWise {
  readonly name = 'trimmed-mean';
  /** β ∈ [0, 0.5): the fraction dropped from each side of every coordinate. */
  readonly beta: number;

  constructor(options: { beta: number }) {
    super();
    if (!(options.beta >= 0 && options.beta < 0.5)) {
      throw new Error(`trimmed mean needs 0 ≤ beta < 0.5, got ${options.beta}`);
    }
    this.beta = options.beta;
  }

  protected reducer(): SortedReducer {
    return trimmedMean(this.beta);
  }
}
