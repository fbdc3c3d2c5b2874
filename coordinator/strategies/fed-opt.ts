/**
 * FedAdagrad, FedAdam and FedYogi: Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.
 * With Δ_t the example-weighted mean delta (the pseudo-gradient, pointing downhill):
 *   m_t = β1·m_{t−1} + (1 − β1)·Δ_t
 *   v_t = v_{t−1} + Δ_t²                                   (FedAdagrad)
 *   v_t = β2·v_{t−1} + (1 − β2)·Δ_t²                       (FedAdam)
 *   v_t = v_{t−1} − (1 − β2)·Δ_t²·sign(v_{t−1} − Δ_t²)     (FedYogi)
 *   x_{t+1} = x_t + η·m_t / (√v_t + τ)
 * m starts at 0 and v at τ² (the algorithm's v_{−1} ≥ τ²); there is no bias correction, as in the paper.
 */
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { addToGlobal, assertValidResults, weightedMeanDelta } from './aggregation-math.ts';
import { bufferFor, decodeBuffers, encodeBuffers, parseState } from './strategy-state.ts';
import type { Buffers, StrategyState } from './strategy-state.ts';
import type { ClientResult, Strategy } from './strategy.ts';

export interface FedOptOptions {
  /** η, the server learning rate. */
  readonly eta: number;
  /** β1, the first-moment decay. */
  readonly beta1: number;
  /** β2, the second-moment decay (unused by FedAdagrad). */
  readonly beta2: number;
  /** τ, the adaptivity: how far the update is from a sign step. */
  readonly tau: number;
}

type SecondMoment = (previous: number, deltaSquared: number, beta2: number) => number;

const secondMoments: Record<'fedadagrad' | 'fedadam' | 'fedyogi', SecondMoment> = {
  fedadagrad: (v, d2) => v + d2,
  fedadam: (v, d2, beta2) => beta2 * v + (1 - beta2) * d2,
  fedyogi: (v, d2, beta2) => v - (1 - beta2) * d2 * Math.sign(v - d2),
};

export class FedOpt implements Strategy {
  readonly name: 'fedadagrad' | 'fedadam' | 'fedyogi';
  readonly needsIndividualUpdates = false;
  readonly aggregatesByWeightedMean = false;
  readonly options: FedOptOptions;
  private readonly secondMoment: SecondMoment;
  private firstMoments: Buffers = new Map();
  private secondMoments: Buffers = new Map();
  private lastRound = 0;

  constructor(name: 'fedadagrad' | 'fedadam' | 'fedyogi', options: FedOptOptions) {
    this.name = name;
    this.options = options;
    this.secondMoment = secondMoments[name];
  }

  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet {
    assertValidResults(global, results);
    const step = new Map<string, Float64Array>();
    for (const [name, delta] of weightedMeanDelta(global, results)) step.set(name, this.stepFor(name, delta));
    this.lastRound = round;
    return addToGlobal(global, step);
  }

  private stepFor(name: string, delta: Float64Array): Float64Array {
    const { eta, beta1, beta2, tau } = this.options;
    const size = delta.length;
    const m = bufferFor(this.firstMoments, name, size, 'first moment', () => new Float32Array(size));
    const v = bufferFor(this.secondMoments, name, size, 'second moment', () => new Float32Array(size).fill(tau * tau));
    const step = new Float64Array(delta.length);
    for (let i = 0; i < delta.length; i++) {
      const d = delta[i] as number;
      m[i] = beta1 * (m[i] as number) + (1 - beta1) * d;
      v[i] = this.secondMoment(v[i] as number, d * d, beta2);
      step[i] = (eta * (m[i] as number)) / (Math.sqrt(v[i] as number) + tau);
    }
    this.firstMoments.set(name, m);
    this.secondMoments.set(name, v);
    return step;
  }

  saveState(): StrategyState {
    return {
      strategy: this.name,
      version: 1,
      round: this.lastRound,
      buffers: { m: encodeBuffers(this.firstMoments), v: encodeBuffers(this.secondMoments) },
    };
  }

  restoreState(state: unknown): void {
    const parsed = parseState(state, this.name);
    this.firstMoments = decodeBuffers(parsed.buffers.m ?? {}, 'first moment');
    this.secondMoments = decodeBuffers(parsed.buffers.v ?? {}, 'second moment');
    this.lastRound = parsed.round;
  }
}
