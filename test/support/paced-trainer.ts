/**
 * A LocalTrainer for the UI's browser tests: like FakeTrainer, but it reports its steps over time, with a
 * falling loss and a rising accuracy, so a live chart can be watched as it updates.
 */
import type { TrainingRequest, TrainingResult } from '../../main/participant/rounds/local-trainer.ts';
import { FakeTrainer, progressAt } from './fake-trainer.ts';

export class PacedTrainer extends FakeTrainer {
  readonly steps: number;
  readonly stepMs: number;
  constructor(steps = 12, stepMs = 60) {
    super();
    this.steps = steps;
    this.stepMs = stepMs;
  }

  override async train(request: TrainingRequest): Promise<TrainingResult> {
    for (let step = 1; step <= this.steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, this.stepMs));
      const loss = 0.7 * Math.exp(-step / this.steps) + 0.05;
      request.onProgress?.({
        ...progressAt(step, this.steps, loss),
        metrics: { accuracy: 0.5 + (0.4 * step) / this.steps },
      });
    }
    return super.train({ ...request, onProgress: undefined });
  }
}
