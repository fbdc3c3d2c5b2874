/**
 * FedAvg (McMahan et al. 2017): the next global weights are the global weights plus the
 * example-weighted mean of the participants' deltas, w ← w + Σ n_i Δ_i / Σ n_i.
 */
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { addToGlobal, assertValidResults, weightedMeanDelta } from './aggregation-math.ts';
import { parseState } from './strategy-state.ts';
import type { StrategyState } from './strategy-state.ts';
import type { ClientResult, Strategy } from './strategy.ts';

export class FedAvg implements Strategy {
  readonly name: string = 'fedavg';
  readonly needsIndividualUpdates = false;
  /** FedProx shares this rule: its proximal term acts on the participants. */
  readonly aggregatesByWeightedMean: boolean = true;
  protected lastRound = 0;

  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet {
    assertValidResults(global, results);
    this.lastRound = round;
    return addToGlobal(global, weightedMeanDelta(global, results));
  }

  saveState(): StrategyState {
    return { strategy: this.name, version: 1, round: this.lastRound, buffers: {} };
  }

  restoreState(state: unknown): void {
    this.lastRound = parseState(state, this.name).round;
  }
}
