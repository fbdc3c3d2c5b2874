/**
 * A real job module for the worker tests: trains the logistic-regression step of the loop tests, taking at
 * least `stepMs` per step so that pause and cancel can be observed, or fails with `failWith`.
 */
import { createOptimizer } from '../../../engine/optim/create-optimizer.ts';
import { createSchedule } from '../../../engine/optim/schedule.ts';
import type { JobContext } from '../../../engine/runtime/worker-protocol.ts';
import { runTrainingLoop } from '../../../engine/train/training-loop.ts';
import { blobs, initialParameters, logisticStep } from '../train/logistic-step.ts';
import type { PointBatch } from '../train/logistic-step.ts';

export interface LogisticJobSpec {
  steps: number;
  stepMs: number;
  failWith?: string;
}

export async function runJob(spec: LogisticJobSpec, context: JobContext) {
  if (spec.failWith) throw new Error(spec.failWith);
  const data = blobs(32, 3);
  const parameters = initialParameters();
  // The job checks the control's promise itself: a step that starts while paused is counted, and must never be.
  let startedWhilePaused = 0;
  const step = {
    run: async (params: typeof parameters, batch: PointBatch) => {
      if (context.control?.isPaused) startedWhilePaused += 1;
      await new Promise((resolve) => setTimeout(resolve, spec.stepMs));
      return logisticStep.run(params, batch);
    },
  };
  const outcome = await runTrainingLoop({
    parameters,
    step,
    optimizer: createOptimizer({ algorithm: 'sgd' }),
    schedule: createSchedule({ kind: 'constant', peakRate: 0.5 }),
    epochBatches: () => [data],
    examplesIn: (batch) => batch.y.length,
    epochs: spec.steps,
    totalSteps: spec.steps,
    control: context.control,
    onProgress: context.reportProgress,
  });
  return {
    updates: outcome.updates,
    cancelled: outcome.cancelled,
    weights: parameters.get('w')!.data,
    startedWhilePaused,
  };
}
