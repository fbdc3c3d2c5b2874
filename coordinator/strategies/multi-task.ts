/**
 * Multi-task aggregation for a shared trunk with task heads (the project's seed 1 model): a tensor
 * named `heads.<task>.…` is the example-weighted mean over the participants whose ClientResult.tasks
 * contains <task>; every other tensor (the trunk) is averaged over all participants. A participant
 * without a task list trained every tensor. A head nobody trained this round stays as it was.
 */
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import { addToGlobal, assertValidResults, weightedMeanDelta } from './aggregation-math.ts';
import type { TensorWeight } from './aggregation-math.ts';
import { parseState } from './strategy-state.ts';
import type { StrategyState } from './strategy-state.ts';
import type { ClientResult, Strategy } from './strategy.ts';

const headPrefix = 'heads.';

/** The task a tensor belongs to, or undefined for a trunk tensor. Task names contain no dot. */
export function taskOfTensor(name: string): string | undefined {
  if (!name.startsWith(headPrefix)) return undefined;
  const end = name.indexOf('.', headPrefix.length);
  return end < 0 ? undefined : name.slice(headPrefix.length, end);
}

export const multiTaskWeight: TensorWeight = (result, tensorName) => {
  const task = taskOfTensor(tensorName);
  if (task === undefined || result.tasks === undefined) return result.numExamples;
  return result.tasks.includes(task) ? result.numExamples : 0;
};

export class MultiTask implements Strategy {
  readonly name = 'multitask';
  /**
   * Each head needs its own denominator (the examples of the participants that train its task), which a
   * single securely aggregated sum does not carry: refused with secure aggregation until that path can
   * hand over one masked sum per task. (The arithmetic would allow it: untrained heads have zero deltas.)
   */
  readonly needsIndividualUpdates = true;
  /** Heads are averaged over their own task's participants only. */
  readonly aggregatesByWeightedMean = false;
  private lastRound = 0;

  aggregate(global: ParameterSet, results: readonly ClientResult[], round: number): ParameterSet {
    assertValidResults(global, results);
    this.lastRound = round;
    return addToGlobal(global, weightedMeanDelta(global, results, multiTaskWeight));
  }

  saveState(): StrategyState {
    return { strategy: this.name, version: 1, round: this.lastRound, buffers: {} };
  }

  restoreState(state: unknown): void {
    this.lastRound = parseState(state, this.name).round;
  }
}
