import { describe, expect, it } from 'vitest';
import { startTrainingJob } from '../../../engine/runtime/training-worker-host.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';
import { defaultClassificationSpec } from '../../../engine/train/classification-job.ts';
import type { ClassificationJobResult, ClassificationJobSpec } from '../../../engine/train/classification-job.ts';
import type { LogisticJobSpec } from './logistic-job.ts';

const classificationJob = new URL('../../../engine/train/classification-job.ts', import.meta.url);
const amazon = new URL('../../../resources/datasets/sentiment/amazon.tsv', import.meta.url).pathname;

const job = new URL('./logistic-job.ts', import.meta.url);

interface JobResult {
  updates: number;
  cancelled: boolean;
  weights: Float32Array;
}

describe('training worker host', () => {
  it('runs a job in a worker thread, reports progress for every step and returns its result', async () => {
    const events: TrainingProgress[] = [];
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 6, stepMs: 1 },
      {
        onProgress: (event) => events.push(event),
      },
    );
    const result = await handle.result;
    expect(result.updates).toBe(6);
    expect(result.cancelled).toBe(false);
    expect(result.weights).toBeInstanceOf(Float32Array);
    expect(events.map((event) => event.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[5]!.loss).toBeLessThan(events[0]!.loss);
  });

  it('keeps the host thread free: host timers fire between the first progress and the result', async () => {
    let ticksDuringTraining = 0;
    let training = false;
    const timer = setInterval(() => (ticksDuringTraining += training ? 1 : 0), 2);
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 20, stepMs: 10 },
      {
        onProgress: () => (training = true),
      },
    );
    await handle.result;
    clearInterval(timer);
    expect(ticksDuringTraining).toBeGreaterThan(0);
  });

  it('pauses (no step runs while paused), resumes, and cancels before the next step', async () => {
    const steps: number[] = [];
    const handle = startTrainingJob<LogisticJobSpec, JobResult>(
      job,
      { steps: 1000, stepMs: 5 },
      {
        onProgress: (event) => steps.push(event.step),
      },
    );
    while (steps.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await handle.pause();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the step in flight report
    const atPause = steps.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(steps.length).toBe(atPause);
    await handle.resume();
    while (steps.length < atPause + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.cancel();
    const result = await handle.result;
    expect(result.cancelled).toBe(true);
    expect(result.updates).toBeLessThan(1000);
    expect(result.updates).toBe(steps.at(-1));
  });

  it('an error thrown in the worker arrives as an error with its text', async () => {
    const handle = startTrainingJob(job, { steps: 1, stepMs: 1, failWith: 'dataset has no rows (train.csv)' });
    await expect(handle.result).rejects.toThrow('dataset has no rows (train.csv)');
  });

  it('a job module without runJob is reported, naming the module', async () => {
    const handle = startTrainingJob(new URL('../train/logistic-step.ts', import.meta.url), {});
    await expect(handle.result).rejects.toThrow(/logistic-step.ts exports no runJob function/);
  });

  it('runs the real classification job in a worker: progress, then held-out metrics', async () => {
    const spec: ClassificationJobSpec = {
      ...defaultClassificationSpec,
      dataFiles: [amazon],
      textColumn: 'text',
      labelColumn: 'label',
      epochs: 1,
      seqLen: 16,
      model: { layers: 1, dModel: 16, heads: 2, ff: 32, dropout: 0 },
    };
    const steps: number[] = [];
    const handle = startTrainingJob<ClassificationJobSpec, ClassificationJobResult>(classificationJob, spec, {
      onProgress: (event) => steps.push(event.step),
    });
    const result = await handle.result;
    expect(steps).toEqual(Array.from({ length: result.steps }, (_, i) => i + 1));
    expect(result.heldOut!.examples).toBe(result.heldOutExamples);
  });

  it('a classification job with a missing file fails with the file named', async () => {
    const spec = { ...defaultClassificationSpec, dataFiles: ['/nowhere/data.csv'], textColumn: 't', labelColumn: 'l' };
    const handle = startTrainingJob(classificationJob, spec);
    await expect(handle.result).rejects.toThrow('/nowhere/data.csv: no such data file');
  });
});
