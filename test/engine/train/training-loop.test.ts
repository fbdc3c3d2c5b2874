import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../engine/optim/create-optimizer.ts';
import { createSchedule } from '../../../engine/optim/schedule.ts';
import { SeededRandom } from '../../../engine/random/seeded-random.ts';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import { runTrainingLoop } from '../../../engine/train/training-loop.ts';
import type { TrainingLoopOptions } from '../../../engine/train/training-loop.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import { blobs, initialParameters, logisticStep } from './logistic-step.ts';
import type { PointBatch } from './logistic-step.ts';

const data = blobs(64, 7);

function* shuffledBatches(epoch: number, seed: number, size: number): Generator<PointBatch> {
  const order = new SeededRandom(seed * 1000 + epoch).permutation(64);
  for (let start = 0; start < 64; start += size) {
    const picked = order.slice(start, start + size);
    yield {
      x: Float32Array.from(picked.flatMap((i) => [data.x[2 * i]!, data.x[2 * i + 1]!])),
      y: Float32Array.from(picked, (i) => data.y[i]!),
    };
  }
}

async function eventLoopTurns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

function options(overrides: Partial<TrainingLoopOptions<PointBatch>> = {}): TrainingLoopOptions<PointBatch> {
  return {
    parameters: initialParameters(),
    step: logisticStep,
    optimizer: createOptimizer({ algorithm: 'adam' }),
    schedule: createSchedule({ kind: 'linear', peakRate: 0.1, warmupSteps: 4, totalSteps: 40 }),
    epochBatches: (epoch) => shuffledBatches(epoch, 1, 16),
    examplesIn: (batch) => batch.y.length,
    epochs: 10,
    totalSteps: 40,
    ...overrides,
  };
}

describe('training loop', () => {
  it('learns: the loss falls, and progress reports every step with its speed and the ETA at that pace', async () => {
    const events: TrainingProgress[] = [];
    const run = options({ onProgress: (event) => events.push(event) });
    const outcome = await runTrainingLoop(run);
    expect(outcome.updates).toBe(40);
    expect(outcome.examples).toBe(40 * 16);
    expect(events.map((event) => event.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(events.map((event) => event.epoch).slice(0, 5)).toEqual([0, 0, 0, 0, 1]);
    expect(events.at(-1)!.etaSeconds).toBe(0);
    // Speed and ETA are the observed pace: examples so far over time so far, and that time per step left to run.
    const near = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, expected);
    for (const event of events) {
      const expectedSpeed = (event.step * 16) / event.elapsedSeconds;
      const expectedEta = (event.elapsedSeconds / event.step) * (40 - event.step);
      expect(near(event.examplesPerSecond, expectedSpeed), `speed at step ${event.step}`).toBe(true);
      expect(near(event.etaSeconds, expectedEta), `ETA at step ${event.step}`).toBe(true);
    }
    expect(events[0]!.learningRate).toBeCloseTo(0.025, 12);
    expect(outcome.losses.at(-1)!).toBeLessThan(outcome.losses[0]! / 3);
    expect(outcome.graphSeconds).toBeLessThanOrEqual(outcome.seconds);
  });

  it('is bit-for-bit reproducible for a seed, and another seed gives another run', async () => {
    const first = options();
    const second = options();
    const other = options({ epochBatches: (epoch) => shuffledBatches(epoch, 2, 16) });
    const outcomes = [await runTrainingLoop(first), await runTrainingLoop(second), await runTrainingLoop(other)];
    expect(outcomes[1]!.losses).toEqual(outcomes[0]!.losses);
    expect(second.parameters).toEqual(first.parameters);
    expect(outcomes[2]!.losses).not.toEqual(outcomes[0]!.losses);
  });

  it('two accumulated micro-batches of 8 make the same update as one batch of 16', async () => {
    const whole = options({ optimizer: createOptimizer({ algorithm: 'sgd' }), totalSteps: 4, epochs: 1 });
    const micro = options({
      optimizer: createOptimizer({ algorithm: 'sgd' }),
      totalSteps: 4,
      epochs: 1,
      accumulationSteps: 2,
      epochBatches: (epoch) => shuffledBatches(epoch, 1, 8),
    });
    const [a, b] = [await runTrainingLoop(whole), await runTrainingLoop(micro)];
    expect(b.updates).toBe(4);
    b.losses.forEach((loss, i) => expect(loss).toBeCloseTo(a.losses[i]!, 6));
    const [wa, wb] = [whole.parameters.get('w')!.data, micro.parameters.get('w')!.data];
    wb.forEach((value, i) => expect(value).toBeCloseTo(wa[i]!, 6));
  });

  it('cancel stops before the next step; pause holds the loop until resume', async () => {
    const control = new TrainingControl();
    const cancelled = await runTrainingLoop(
      options({ control, onProgress: (event) => event.step === 3 && control.cancel() }),
    );
    expect(cancelled).toMatchObject({ updates: 3, cancelled: true });

    const pausing = new TrainingControl();
    const steps: number[] = [];
    let resumedAt = -1;
    const run = runTrainingLoop(
      options({
        control: pausing,
        totalSteps: 5,
        onProgress: (event) => {
          steps.push(event.step);
          if (event.step === 2) {
            pausing.pause();
            // Ten event-loop turns: an unpaused loop, which yields one turn per step, would finish meanwhile.
            void eventLoopTurns(10).then(() => {
              resumedAt = steps.length;
              pausing.resume();
            });
          }
        },
      }),
    );
    expect((await run).updates).toBe(5);
    expect(resumedAt).toBe(2);
  });

  it('a non-finite loss stops the run with the step that produced it', async () => {
    const step = { run: async () => ({ loss: Number.NaN, gradients: new Map() }) };
    await expect(runTrainingLoop(options({ step }))).rejects.toThrow('loss is NaN at step 1');
  });
});
