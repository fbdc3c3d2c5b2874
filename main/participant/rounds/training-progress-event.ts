/**
 * The `training.progress` event the UI receives for a round, made from the engine's one TrainingProgress:
 * the fields the contract's schema names, with the loss left out until a step has measured one (NaN).
 */
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import type { EventOf } from '../../../preload/contract.ts';

export function trainingProgressEvent(roundKey: string, progress: TrainingProgress): EventOf<'training.progress'> {
  return {
    roundKey,
    step: progress.step,
    totalSteps: progress.totalSteps,
    ...(Number.isFinite(progress.loss) ? { loss: progress.loss } : {}),
    ...(progress.metrics ? { metrics: progress.metrics } : {}),
    elapsedSeconds: progress.elapsedSeconds,
    etaSeconds: progress.etaSeconds,
  };
}
