import { describe, expect, it } from 'vitest';
import { startTrainingJob } from '../../../engine/runtime/training-worker-host.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import type { TaskJobResult, TaskJobSpec } from '../../../engine/train/task-job-spec.ts';
import { sentimentSpec } from '../train/sentiment-spec.ts';
import type { LogisticJobSpec } from './logistic-job.ts';

const taskJob = new URL('../../../engine/train/task-job.ts', import.meta.url);
const job = new URL('./logistic-job.ts', import.meta.url);

interface JobResult {
  updates: number;
  cancelled: boolean;
  weights: Float32Array;
  startedWhilePaused: number;
}

/** Progress events as they arrive, and a bounded wait for the n-th one that says what did not happen. */
function progressLog() {
  const steps: number[] = [];
  const waiters: Array<() => void> = [];
  return {
    steps,
    onProgress: (event: TrainingProgress) => {
      steps.push(event.step);
      for (const wake of waiters.splice(0)) wake();
    },
    async untilCount(count: number, limitMs = 20_000): Promise<void> {
      const deadline = Date.now() + limitMs;
      while (steps.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${steps.length} progress events of ${count} arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe('training worker host', () => {
  it('runs a job in a worker thread, reports progress for every step and returns its result', async () => {
    const events: TrainingProgress[] = [];
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 6, stepMs: 1 },
      { onProgress: (event) => events.push(event) },
    );
    const result = await handle.result;
    expect(result.updates).toBe(6);
    expect(result.cancelled).toBe(false);
    expect(result.weights).toBeInstanceOf(Float32Array);
    expect(events.map((event) => event.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[5]!.loss).toBeLessThan(events[0]!.loss);
  });

  it('keeps the host thread free: the host runs its own callbacks between the first progress and the last', async () => {
    const order: string[] = [];
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 20, stepMs: 10 },
      {
        onProgress: (event) => {
          order.push(`step ${event.step}`);
          if (event.step === 1) setImmediate(() => order.push('host'));
        },
      },
    );
    await handle.result;
    expect(order.indexOf('host')).toBeGreaterThan(0);
    expect(order.indexOf('host')).toBeLessThan(order.indexOf('step 20'));
  });

  it('pauses (no step starts while paused), resumes, and cancels before the next step', async () => {
    const log = progressLog();
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 1000, stepMs: 5 },
      { onProgress: log.onProgress },
    );
    await log.untilCount(2);
    await handle.pause();
    // A second acknowledged pause: the worker has handled messages while paused, with no step started.
    await handle.pause();
    const atResume = log.steps.length;
    await handle.resume();
    await log.untilCount(atResume + 2);
    handle.cancel();
    const result = await handle.result;
    expect(result.cancelled).toBe(true);
    expect(result.startedWhilePaused).toBe(0);
    expect(result.updates).toBeLessThan(1000);
    expect(log.steps).toEqual(Array.from({ length: result.updates }, (_, i) => i + 1));
  });

  it('an error thrown in the worker arrives as an error with its text', async () => {
    const handle = startTrainingJob(job, { steps: 1, stepMs: 1, failWith: 'dataset has no rows (train.csv)' });
    await expect(handle.result).rejects.toThrow('dataset has no rows (train.csv)');
  });

  it('a job module without runJob is reported, naming the module', async () => {
    const handle = startTrainingJob(new URL('../train/logistic-step.ts', import.meta.url), {});
    await expect(handle.result).rejects.toThrow(/logistic-step.ts exports no runJob function/);
  });

  it('runs the real task job in a worker: progress, then held-out metrics of classification', async () => {
    const spec: TaskJobSpec = {
      ...sentimentSpec(),
      epochs: 1,
      seqLen: 16,
      model: { layers: 1, dModel: 16, heads: 2, ff: 32, dropout: 0 },
    };
    const steps: number[] = [];
    const handle = startTrainingJob<TaskJobSpec, TaskJobResult>(taskJob, spec, {
      onProgress: (event) => steps.push(event.step),
    });
    const result = await handle.result;
    expect(steps).toEqual(Array.from({ length: result.steps }, (_, i) => i + 1));
    expect(result.tasks[0]!.trained!.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.tasks[0]!.labels).toEqual(['0', '1']);
  });

  it('a task job with a missing file fails with the file named', async () => {
    const spec = sentimentSpec();
    spec.tasks = [{ name: 'sentiment', kind: 'classification', files: ['/nowhere/data.csv'] }];
    const handle = startTrainingJob(taskJob, spec);
    await expect(handle.result).rejects.toThrow('/nowhere/data.csv: no such data file');
  });
});
