/**
 * A real, small training step computed in TypeScript: binary logistic regression with mean cross-entropy,
 * gradients derived by hand (dL/dw = mean((σ(w·x + b) − y) x), dL/db = mean(σ − y)). It lets the loop be
 * tested without a graph; the graph-backed step has its own tests.
 */
import { SeededRandom } from '../../../engine/random/seeded-random.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';
import type { StepResult, TrainingStep } from '../../../engine/train/training-loop.ts';

export interface PointBatch {
  x: Float32Array; // [n, 2]
  y: Float32Array; // [n]
}

/** Two Gaussian-ish blobs around (1, 1) and (−1, −1), labelled 1 and 0. */
export function blobs(count: number, seed: number): PointBatch {
  const random = new SeededRandom(seed);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    y[i] = i % 2;
    const centre = y[i] === 1 ? 1 : -1;
    x[2 * i] = centre + (random.uniform() - 0.5) * 1.5;
    x[2 * i + 1] = centre + (random.uniform() - 0.5) * 1.5;
  }
  return { x, y };
}

export function initialParameters() {
  return new Map([
    ['w', tensor([2], [0.1, -0.2])],
    ['b', tensor([1], [0])],
  ]);
}

export const logisticStep: TrainingStep<PointBatch> = {
  async run(parameters: ParameterSet, batch: PointBatch): Promise<StepResult> {
    const w = parameters.get('w')!.data;
    const b = parameters.get('b')!.data[0]!;
    const n = batch.y.length;
    let gw0 = 0;
    let gw1 = 0;
    let gb = 0;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const z = w[0]! * batch.x[2 * i]! + w[1]! * batch.x[2 * i + 1]! + b;
      const p = 1 / (1 + Math.exp(-z));
      const y = batch.y[i]!;
      loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      gw0 += (p - y) * batch.x[2 * i]!;
      gw1 += (p - y) * batch.x[2 * i + 1]!;
      gb += p - y;
    }
    return {
      loss: loss / n,
      gradients: new Map([
        ['w', Float32Array.of(gw0 / n, gw1 / n)],
        ['b', Float32Array.of(gb / n)],
      ]),
    };
  },
};
