import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeldOutEpoch } from '../../../engine/train/early-stopping.ts';
import type { TaskJobSpec } from '../../../engine/train/task-job-spec.ts';
import { runTaskJob } from '../../../engine/train/task-job.ts';
import { sentimentSpec } from './sentiment-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A rate high enough that the small model memorises the sentences within a few epochs. */
function overfittingSpec(out: string): TaskJobSpec {
  return { ...sentimentSpec(out), epochs: 12, learningRate: 1e-2, schedule: 'constant', patience: 2 };
}

describe('early stopping with best-epoch selection', () => {
  it('stops once the held-out loss stops improving and writes the best epoch, bit for bit for a seed', async () => {
    const epochs: HeldOutEpoch[] = [];
    const first = await runTaskJob(overfittingSpec(join(dir, 'a.safetensors')), {
      reportEpoch: (point) => epochs.push(point),
    });
    const stopping = first.earlyStopping!;
    expect(stopping.stoppedEarly).toBe(true);
    expect(stopping.epochsRun).toBeLessThan(12);
    expect(stopping.epochsRun - stopping.bestEpoch).toBe(2);
    expect(epochs).toEqual(stopping.curve);
    const lowest = Math.min(...epochs.map((point) => point.heldOutLoss));
    expect(stopping.bestHeldOutLoss).toBe(lowest);
    expect(epochs[stopping.bestEpoch - 1]!.heldOutLoss).toBe(lowest);
    for (const point of epochs.slice(stopping.bestEpoch)) expect(point.heldOutLoss).toBeGreaterThan(lowest);
    // The run's final evaluation is of the kept parameters: the best epoch's, not the last one's.
    expect(first.tasks[0]!.trained!.loss).toBe(lowest);
    expect(first.tasks[0]!.trained!.accuracy).toBe(epochs[stopping.bestEpoch - 1]!.tasks.sentiment!.accuracy);

    const second = await runTaskJob(overfittingSpec(join(dir, 'b.safetensors')));
    expect(second.earlyStopping).toEqual(stopping);
    expect(readFileSync(join(dir, 'b.safetensors')).equals(readFileSync(join(dir, 'a.safetensors')))).toBe(true);
  });

  it('the written checkpoint, evaluated again on the same held-out split, scores the best epoch', async () => {
    const out = join(dir, 'best.safetensors');
    const trained = await runTaskJob(overfittingSpec(out));
    const stopping = trained.earlyStopping!;
    // Resuming evaluates the checkpoint on the run's own held-out split before training one more epoch.
    const resumed = await runTaskJob({ ...sentimentSpec(), epochs: 1, patience: 0, init: { file: out } });
    expect(resumed.earlyStopping).toBeNull();
    expect(resumed.tasks[0]!.untrained.loss).toBeCloseTo(stopping.bestHeldOutLoss, 6);
    expect(resumed.tasks[0]!.untrained.accuracy).toBe(
      stopping.curve[stopping.bestEpoch - 1]!.tasks.sentiment!.accuracy,
    );
    expect(stopping.curve.at(-1)!.heldOutLoss).toBeGreaterThan(stopping.bestHeldOutLoss);
  });

  it('patience 0 trains every epoch and keeps the last', async () => {
    const result = await runTaskJob({ ...sentimentSpec(), epochs: 2, patience: 0 });
    expect(result.earlyStopping).toBeNull();
    expect(result.steps).toBe(2 * Math.floor(result.tasks[0]!.trainFeatures / 32));
  });
});
