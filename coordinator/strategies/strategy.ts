/**
 * What every aggregation strategy implements. Strategies never see wire types: the coordinator's
 * serde converts uploads into ClientResults first (as Flower keeps strategies apart from gRPC).
 */
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';

export interface ClientResult {
  readonly participantId: string;
  /** Examples the participant trained on this round (FedAvg's weight). */
  readonly numExamples: number;
  /** The participant's update: its locally trained weights minus the round's global weights. */
  readonly update: ParameterSet;
  /** Task heads the participant trained (multi-task aggregation); undefined = every tensor. */
  readonly tasks?: readonly string[];
}

export interface Strategy {
  readonly name: string;
  /** True when the strategy needs individual updates (robust statistics): refused with secure aggregation. */
  readonly needsIndividualUpdates: boolean;
  /**
   * True when `aggregate` is exactly global + Σ n_i Δ_i / Σ n_i, round after round: the coordinator may
   * then compute it from the uploads on disk a chunk at a time instead of calling `aggregate`.
   */
  readonly aggregatesByWeightedMean: boolean;
  /** The next global weights. `results` is never empty; every update matches `global`'s spec. */
  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet;
  /** Server-side state (momentum, moments) as JSON, so a restarted coordinator continues exactly. */
  saveState(): unknown;
  restoreState(state: unknown): void;
}
