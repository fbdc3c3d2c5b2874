import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifierParameterSpecs } from '../../../engine/nn/classifier.ts';
import { loadCheckpoint } from '../../../engine/train/checkpoint.ts';
import { defaultClassificationSpec, runClassificationJob } from '../../../engine/train/classification-job.ts';
import type { ClassificationJobSpec } from '../../../engine/train/classification-job.ts';
import { transformerConfigOf } from '../../../engine/train/classifier-model.ts';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import type { TrainingProgress } from '../../../engine/runtime/training-progress.ts';

const amazon = fileURLToPath(new URL('../../../resources/datasets/sentiment/amazon.tsv', import.meta.url));

/** A small configuration that trains in seconds on the 1000 Amazon sentences. */
function smallSpec(out?: string): ClassificationJobSpec {
  return {
    ...defaultClassificationSpec,
    dataFiles: [amazon],
    textColumn: 'text',
    labelColumn: 'label',
    epochs: 3,
    seqLen: 24,
    learningRate: 3e-3,
    model: { layers: 1, dModel: 32, heads: 2, ff: 64, dropout: 0.1 },
    out,
  };
}

describe('classification job', () => {
  it('trains, evaluates held-out sentences, and reruns bit for bit with the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-job-'));
    const events: TrainingProgress[] = [];
    const first = await runClassificationJob(smallSpec(join(dir, 'a.safetensors')), {
      reportProgress: (event) => events.push(event),
    });
    const second = await runClassificationJob(smallSpec(join(dir, 'b.safetensors')));
    expect(first.steps).toBe(events.length);
    expect(first.steps).toBe(3 * Math.floor(first.trainExamples / 32));
    expect(first.finalTrainLoss!).toBeLessThan(events[0]!.loss);
    // Better than always answering the majority class of the held-out split.
    expect(first.heldOut!.accuracy).toBeGreaterThan(0.6);
    const { seconds: _a, examplesPerSecond: _b, checkpoint: _c, ...firstNumbers } = first;
    const { seconds: _d, examplesPerSecond: _e, checkpoint: _f, ...secondNumbers } = second;
    expect(secondNumbers).toEqual(firstNumbers);
    expect(readFileSync(join(dir, 'b.safetensors')).equals(readFileSync(join(dir, 'a.safetensors')))).toBe(true);
  });

  it('writes a checkpoint with the model parameters under their engine names and the run metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-job-'));
    const spec = { ...smallSpec(join(dir, 'model.safetensors')), epochs: 1 };
    const result = await runClassificationJob(spec);
    const checkpoint = loadCheckpoint(join(dir, 'model.safetensors'));
    const shape = JSON.parse(checkpoint.metadata!['accord.model']!);
    const expected = classifierParameterSpecs(transformerConfigOf(shape));
    expect([...checkpoint.parameters].map(([name, value]) => ({ name, shape: value.shape }))).toEqual(expected);
    expect(JSON.parse(checkpoint.metadata!['accord.labels']!)).toEqual(['0', '1']);
    expect(JSON.parse(checkpoint.metadata!['accord.vocabulary']!)).toHaveLength(result.vocabularySize - 2);
    expect(Number(checkpoint.metadata!['accord.heldOutAccuracy'])).toBe(result.heldOut!.accuracy);
  });

  it('a cancelled run stops early, evaluates nothing and writes no checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-job-'));
    const control = new TrainingControl();
    const result = await runClassificationJob(smallSpec(join(dir, 'never.safetensors')), {
      control,
      reportProgress: (event) => event.step === 2 && control.cancel(),
    });
    expect(result).toMatchObject({ cancelled: true, steps: 2, heldOut: null, checkpoint: null });
    expect(() => readFileSync(join(dir, 'never.safetensors'))).toThrow();
  });

  it('names a bad setting before reading anything', async () => {
    await expect(runClassificationJob({ ...smallSpec(), batchSize: 0 })).rejects.toThrow(
      'batchSize must be a positive integer, got 0',
    );
    await expect(runClassificationJob({ ...smallSpec(), dataFiles: ['/nonexistent/x.tsv'] })).rejects.toThrow(
      '/nonexistent/x.tsv: no such data file',
    );
  });
});
