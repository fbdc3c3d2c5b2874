/**
 * A job becomes a configuration whose model spec is derived from its training settings and whose round 0
 * weights match that spec: a coordinator starts on it, and a participant's round job (the code the training
 * worker runs) trains those weights with the job's settings on labelled data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';
import { Coordinator } from '../../../coordinator/coordinator.ts';
import { initFederation, writeCertificates } from '../../../coordinator/setup/federation-files.ts';
import { parseFederationJob, prepareFederation } from '../../../coordinator/setup/federation-job.ts';
import { writeSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import { runDpRoundJob } from '../../../engine/train/dp-round-job.ts';
import { assertModelMatchesSettings, federatedClassifierSettings } from '../../../engine/train/federated-classifier.ts';
import { specOf } from '../../../engine/tensor/parameter-set.ts';
import type { TrainingSettings } from '../../../engine/train/federated-classifier.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-federation-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (fields: Record<string, unknown>) =>
  parseFederationJob({ labels: ['negative', 'neutral', 'positive'], ...fields }, 'job.json');

describe('a federation job', () => {
  it('derives the spec from the settings and seeds weights that match it, the same for the same seed', () => {
    const small = { model: { vocabBuckets: 64, bigramBuckets: 32, dModel: 4 } };
    const { config, initialWeights } = prepareFederation(job(small), 'job.json');
    const training = config.training as TrainingSettings;
    expect(training.labels).toBe('negative,neutral,positive');
    expect(training.architecture).toBe('bag');
    const spec = (config.model as { spec: { name: string; shape: number[] }[] }).spec;
    expect(specOf(initialWeights)).toEqual(spec);
    expect(() => assertModelMatchesSettings(spec, federatedClassifierSettings(training))).not.toThrow();
    expect(spec.find((tensor) => tensor.name === 'head.bias')?.shape).toEqual([3]);
    const again = prepareFederation(job(small), 'job.json').initialWeights;
    const other = prepareFederation(job({ ...small, seed: 1 }), 'job.json').initialWeights;
    const first = [...initialWeights.values()][0]!.data;
    expect([...again.values()][0]!.data).toEqual(first);
    expect([...other.values()][0]!.data).not.toEqual(first);
  });

  it('refuses a job without labels, with a repeated label, or with a bad model setting, naming the field', () => {
    expect(() => parseFederationJob({}, 'job.json')).toThrow(/^job\.json: labels: /);
    expect(() => job({ labels: ['yes', 'yes'] })).toThrow('job.json: labels: each label must appear once');
    expect(() => prepareFederation(job({ model: { architecture: 'lstm' } }), 'job.json')).toThrow(
      /^job\.json: model: training setting "architecture"/,
    );
    expect(() => job({ rounds: 0 })).toThrow(/^job\.json: rounds: /);
  });

  it('gives a configuration a coordinator starts on and round 0 weights a participant trains', async () => {
    const { config, initialWeights } = prepareFederation(
      job({ listen: { host: '127.0.0.1', port: 0 }, model: { vocabBuckets: 512, bigramBuckets: 64, dModel: 8 } }),
      'job.json',
    );
    await writeSafetensorsFile(join(dir, 'initial.safetensors'), initialWeights);
    const parsed = parseCoordinatorConfig(config, dir, 'job.json');
    initFederation(parsed);
    await writeCertificates(parsed, ['127.0.0.1']);
    const coordinator = await Coordinator.open(parsed);
    await coordinator.start();
    await coordinator.stop();

    const dataFile = join(dir, 'posts.tsv');
    const rows = ['loved every minute', 'it was fine i guess', 'a waste of an evening', 'superb and moving'];
    const labels = ['positive', 'neutral', 'negative', 'positive'];
    writeFileSync(dataFile, ['text\tlabel', ...rows.map((text, i) => `${text}\t${labels[i]}`)].join('\n'));
    const result = await runDpRoundJob(
      {
        dataFile,
        format: 'tsv',
        columns: { text: 'text', label: 'label' },
        training: parsed.training,
        globalModel: initialWeights,
        dp: { ...parsed.dp, sampleRate: 1, localSteps: 2 },
      },
      { control: new TrainingControl(), reportProgress: () => undefined },
    );
    expect(result.steps).toBe(2);
    expect([...result.update.values()].every(({ data }) => data.some((value) => value !== 0))).toBe(true);
  });
});
