/**
 * A LocalTrainer for the participant's tests of what happens around training (the engine host provides
 * the real one, tested in test/main/participant/training): its update is a fixed step on every
 * parameter, it reports progress, and returns the DP steps of the task. It stands in for the worker
 * only: the round's bytes are still made by engine/codec's registry, as in production.
 */
import type { LocalTrainer, TrainingRequest, TrainingResult } from '../../main/participant/rounds/local-trainer.ts';
import { tensor } from '../../engine/tensor/parameter-set.ts';
import { plannedSteps } from '../../main/participant/rounds/round-preparation.ts';
import type { TrainingProgress } from '../../engine/runtime/training-progress.ts';

/** The engine's progress report for a step, as a worker would send it, with the loss given. */
export function progressAt(step: number, totalSteps: number, loss: number): TrainingProgress {
  const elapsedSeconds = step * 0.01;
  return {
    step,
    totalSteps,
    epoch: 1,
    loss,
    learningRate: 0.1,
    gradientNorm: 1,
    examplesPerSecond: 100,
    elapsedSeconds,
    etaSeconds: (totalSteps - step) * 0.01,
  };
}

export class FakeTrainer implements LocalTrainer {
  calls = 0;
  readonly delta: number;
  /** Fraction of the task's steps actually taken (early stop). */
  readonly stepFraction: number;
  constructor(delta = 0.05, stepFraction = 1) {
    this.delta = delta;
    this.stepFraction = stepFraction;
  }

  async train(request: TrainingRequest): Promise<TrainingResult> {
    this.calls += 1;
    const update = new Map(
      [...request.globalModel].map(([name, value]) => [
        name,
        tensor(
          value.shape,
          value.data.map(() => this.delta),
        ),
      ]),
    );
    const steps = Math.max(1, Math.round(request.dp.localSteps * this.stepFraction));
    for (let step = 1; step <= 3; step++) request.onProgress?.(progressAt(step, 3, 1 / step));
    return {
      update,
      numExamples: request.dataset.stats.rows,
      metrics: { loss: 0.5 },
      dpSteps: { ...plannedSteps(request.task), steps },
    };
  }
}
