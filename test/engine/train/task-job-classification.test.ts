import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import type { TaskJobResult } from '../../../engine/train/task-job-spec.ts';
import { runTaskJob } from '../../../engine/train/task-job.ts';
import { sentimentSpec } from './sentiment-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withoutTimes = ({ seconds: _s, checkpoint: _c, ...rest }: TaskJobResult) => rest;

describe('classification through the task job', () => {
  it('trains, evaluates held-out sentences, and reruns bit for bit with the same seed', async () => {
    const events: TrainingProgress[] = [];
    const first = await runTaskJob(sentimentSpec(join(dir, 'a.safetensors')), {
      reportProgress: (event) => events.push(event),
    });
    const second = await runTaskJob(sentimentSpec(join(dir, 'b.safetensors')));
    const [sentiment] = first.tasks;
    expect(first.steps).toBe(events.length);
    expect(first.steps).toBe(3 * Math.floor(sentiment!.trainFeatures / 32));
    expect(first.finalTrainLoss!).toBeLessThan(events[0]!.loss);
    expect(sentiment!.labels).toEqual(['0', '1']);
    // Better than always answering the majority class of the held-out split.
    expect(sentiment!.trained!.accuracy!).toBeGreaterThan(0.6);
    expect(withoutTimes(second)).toEqual(withoutTimes(first));
    expect(readFileSync(join(dir, 'b.safetensors')).equals(readFileSync(join(dir, 'a.safetensors')))).toBe(true);
  });

  it('a cancelled run stops early, evaluates nothing after training and writes no checkpoint', async () => {
    const control = new TrainingControl();
    const out = join(dir, 'never.safetensors');
    const result = await runTaskJob(sentimentSpec(out), {
      control,
      reportProgress: (event) => event.step === 2 && control.cancel(),
    });
    expect(result).toMatchObject({ cancelled: true, steps: 2, checkpoint: null });
    expect(result.tasks[0]!.trained).toBeNull();
    expect(existsSync(out)).toBe(false);
  });

  it('names a bad setting and a missing file', async () => {
    await expect(runTaskJob({ ...sentimentSpec(), batchSize: 0 })).rejects.toThrow(
      'batchSize must be a positive integer, got 0',
    );
    const missing = sentimentSpec();
    missing.tasks = [{ name: 'sentiment', kind: 'classification', files: ['/nonexistent/x.tsv'] }];
    await expect(runTaskJob(missing)).rejects.toThrow('/nonexistent/x.tsv: no such data file');
  });
});
