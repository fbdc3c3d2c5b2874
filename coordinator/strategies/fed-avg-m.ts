/**
 * FedAvgM (Hsu, Qi, Brown 2019, "Measuring the Effects of Non-Identical Data Distribution for
 * Federated Visual Classification", §3): server momentum over the averaged delta,
 *   v ← β·v + Δ,   w ← w + η·v,
 * where Δ is the example-weighted mean delta (local − global, i.e. minus the paper's Δw).
 */
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { addToGlobal, assertValidResults, weightedMeanDelta } from './aggregation-math.ts';
import { bufferFor, decodeBuffers, encodeBuffers, parseState } from './strategy-state.ts';
import type { Buffers, StrategyState } from './strategy-state.ts';
import type { ClientResult, Strategy } from './strategy.ts';

export interface FedAvgMOptions {
  /** η, the server learning rate. */
  readonly serverLearningRate: number;
  /** β, the server momentum. */
  readonly serverMomentum: number;
}

export class FedAvgM implements Strategy {
  readonly name = 'fedavgm';
  readonly needsIndividualUpdates = false;
  readonly aggregatesByWeightedMean = false;
  readonly options: FedAvgMOptions;
  private momentum: Buffers = new Map();
  private lastRound = 0;

  constructor(options: FedAvgMOptions) {
    this.options = options;
  }

  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet {
    assertValidResults(global, results);
    const { serverLearningRate: eta, serverMomentum: beta } = this.options;
    const mean = weightedMeanDelta(global, results);
    const step = new Map<string, Float64Array>();
    for (const [name, delta] of mean) {
      const velocity = bufferFor(this.momentum, name, delta.length, 'momentum', () => new Float32Array(delta.length));
      const scaled = new Float64Array(delta.length);
      for (let i = 0; i < delta.length; i++) {
        velocity[i] = beta * (velocity[i] as number) + (delta[i] as number);
        scaled[i] = eta * (velocity[i] as number);
      }
      this.momentum.set(name, velocity);
      step.set(name, scaled);
    }
    this.lastRound = round;
    return addToGlobal(global, step);
  }

  saveState(): StrategyState {
    return {
      strategy: this.name,
      version: 1,
      round: this.lastRound,
      buffers: { momentum: encodeBuffers(this.momentum) },
    };
  }

  restoreState(state: unknown): void {
    const parsed = parseState(state, this.name);
    this.momentum = decodeBuffers(parsed.buffers.momentum ?? {}, 'momentum');
    this.lastRound = parsed.round;
  }
}
