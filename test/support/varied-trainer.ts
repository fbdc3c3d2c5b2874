/**
 * A LocalTrainer like FakeTrainer, but each call's update is a different seeded normal draw per value, so
 * that compression has something to choose between; it keeps every update it returned, for tests to
 * compare with what left. From call `failFrom` on it fails, as a stopped training does.
 */
import { tensor } from '../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../engine/tensor/parameter-set.ts';
import type { LocalTrainer, TrainingRequest, TrainingResult } from '../../main/participant/rounds/local-trainer.ts';
import { plannedSteps } from '../../main/participant/rounds/round-preparation.ts';
import { seededNormal } from './seeded-random.ts';

export class VariedTrainer implements LocalTrainer {
  readonly updates: ParameterSet[] = [];
  readonly #normal: () => number;
  readonly #failFrom: number;
  #calls = 0;

  constructor(seed: number, failFrom = Infinity) {
    this.#normal = seededNormal(seed);
    this.#failFrom = failFrom;
  }

  async train(request: TrainingRequest): Promise<TrainingResult> {
    this.#calls += 1;
    if (this.#calls >= this.#failFrom) throw new Error(`training ${this.#calls} was stopped`);
    const update = new Map(
      [...request.globalModel].map(([name, value]) => [
        name,
        tensor(
          value.shape,
          Float32Array.from(value.data, () => 0.01 * this.#normal()),
        ),
      ]),
    );
    this.updates.push(update);
    return {
      update,
      numExamples: request.dataset.stats.rows,
      metrics: { loss: 0.5 },
      dpSteps: plannedSteps(request.task),
    };
  }
}
