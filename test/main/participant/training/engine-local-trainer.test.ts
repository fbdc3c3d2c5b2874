/** The real trainer: DP-SGD in the engine's worker thread on a shard of the sample data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initializeClassifierParameters } from '../../../../engine/nn/classifier.ts';
import {
  federatedClassifierConfig,
  federatedClassifierSettings,
  readLabelledTexts,
} from '../../../../engine/train/federated-classifier.ts';
import { splitFederatedTexts } from '../../../../engine/train/federated-held-out.ts';
import type { Dataset } from '../../../../main/participant/datasets/dataset-registry.ts';
import type { RoundTask } from '../../../../main/participant/coordinator-client/federation-link.ts';
import {
  EngineLocalTrainer,
  TrainingCancelledError,
  engineLocalTrainerFor,
} from '../../../../main/participant/training/engine-local-trainer.ts';
import { writeWorkstationSettings } from '../../../../main/participant/settings/workstation-settings.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { describeExecutionProviders } from '../../../../engine/runtime/execution-providers.ts';
import { sampleTraining, splitSampleData } from '../../../../scripts/demo/sample-federation.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const training = { ...sampleTraining, physicalBatchSize: 32, dModel: 16, ff: 32, vocabBuckets: 256 };
const columns = { text: 'text', label: 'label' };
const globalModel = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(training)), 3);

async function request(localSteps: number) {
  const { shards } = await splitSampleData(dir, { participants: 3, alpha: 10, seed: 3 });
  const dp = { clipNorm: 1, noiseMultiplier: 1, sampleRate: 0.05, localSteps };
  const task = {
    federationId: 'fed',
    roundId: `round-${localSteps}`,
    dp,
    training,
    modelSpec: [...globalModel].map(([name, value]) => ({ name, shape: value.shape })),
  } as unknown as RoundTask;
  const dataset = { name: 'shard', path: shards[0]!.path, format: 'tsv', columns: { text: 'text', label: 'label' } };
  return { task, dataset: dataset as unknown as Dataset, globalModel, dp, examples: shards[0]!.examples };
}

describe('EngineLocalTrainer', () => {
  it('returns a finite update of the model shape, the examples and the DP steps taken, with progress', async () => {
    const progress: number[] = [];
    const base = await request(3);
    const result = await new EngineLocalTrainer().train({ ...base, onProgress: (p) => progress.push(p.step) });
    expect(progress).toEqual([1, 2, 3]);
    expect(result.dpSteps).toEqual({ noiseMultiplier: 1, sampleRate: 0.05, steps: 3 });
    // Training never sees the held-out part; the received model is evaluated on exactly that part.
    const { training: trainingRows, heldOut } = splitFederatedTexts(
      await readLabelledTexts(base.dataset.path, columns),
    );
    expect(trainingRows.length + heldOut.length).toBe(base.examples);
    expect(result.numExamples).toBe(trainingRows.length);
    expect(result.evaluation?.examples).toBe(heldOut.length);
    expect(result.evaluation?.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.evaluation?.accuracy).toBeLessThanOrEqual(1);
    // The encoder writes tensors in the update's order: the global model's.
    expect([...result.update.keys()]).toEqual([...globalModel.keys()]);
    for (const [name, value] of globalModel) {
      const update = result.update.get(name)!;
      expect(update.shape).toEqual(value.shape);
      expect(update.data.every(Number.isFinite)).toBe(true);
    }
    // Noise reaches every coordinate, so the update is nowhere all zero.
    expect(result.update.get('head.bias')!.data.some((v) => v !== 0)).toBe(true);
  });

  it('stops after the current step when cancelled, and the round gets a cancellation error', async () => {
    const trainer = new EngineLocalTrainer();
    const base = await request(500);
    let cancelled = false;
    const training = trainer.train({
      ...base,
      onProgress: () => {
        if (!cancelled) cancelled = trainer.cancel('fed/round-500');
      },
    });
    await expect(training).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(cancelled).toBe(true);
    expect(trainer.running).toEqual([]);
  });

  it('does not start training when cancelled while the received model is being evaluated', async () => {
    const trainer = new EngineLocalTrainer();
    const base = await request(500);
    const progress: number[] = [];
    const training = trainer.train({ ...base, onProgress: (p) => progress.push(p.step) });
    // The evaluation's worker is started before train() first yields, so this cancel lands on it.
    expect(trainer.cancel('fed/round-500')).toBe(true);
    await expect(training).rejects.toThrow(/cancelled after 0 step/);
    expect(progress).toEqual([]);
    expect(trainer.running).toEqual([]);
  });

  it("trains on the workstation's compute device setting, read when the round starts", async () => {
    const node = openParticipantNode({ home: join(dir, 'node') });
    try {
      const trainer = engineLocalTrainerFor(node.database.db);
      writeWorkstationSettings(node.database.db, { computeDevice: 'cpu' });
      const first = await request(1);
      const onCpu = await trainer.train({ ...first, task: { ...first.task, roundId: 'cpu' } });
      expect(onCpu.device).toEqual({ requested: 'cpu', provider: 'cpu' });

      writeWorkstationSettings(node.database.db, { computeDevice: 'cuda' });
      const base = await request(1);
      const onCuda = await trainer.train({ ...base, task: { ...base.task, roundId: 'cuda' } });
      const cuda = describeExecutionProviders().find((status) => status.name === 'cuda');
      expect(onCuda.device?.requested).toBe('cuda');
      if (cuda?.available) expect(onCuda.device?.provider).toBe('cuda');
      else
        expect(onCuda.device).toMatchObject({ provider: 'cpu', fallbackReason: expect.stringContaining(cuda!.reason) });
    } finally {
      node.close();
    }
  });
});
