/**
 * The participant's round job with FedProx's μ: with sampling rate 1 and noise a billionth of the clip norm
 * (the mechanism refuses none; the draws are the OS's) the steps are deterministic to 1e-8, so the proximal term's effect can be derived from runs without it. The first step starts
 * at the global weights (no pull); the second adds μ·(w₁ − w_global) = μ·Δ₁ to its gradient, so under
 * plain SGD the two-step update with μ is the two-step update without μ minus lr·μ·Δ₁.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import { TrainingControl } from '../../../engine/runtime/training-control.ts';
import { runDpRoundJob } from '../../../engine/train/dp-round-job.ts';
import { federatedClassifierConfig, federatedClassifierSettings } from '../../../engine/train/federated-classifier.ts';
import type { ParameterSet } from '../../../engine/tensor/parameter-set.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-dp-round-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dataFile = join(dir, 'reviews.tsv');
const rows = ['great film, loved it', 'dull and far too long', 'a warm and funny story', 'i want my evening back'];
writeFileSync(dataFile, ['text\tlabel', ...rows.map((text, i) => `${text}\t${i % 2 === 0 ? 1 : 0}`)].join('\n'));

const training = { layers: 1, dModel: 8, heads: 2, ff: 16, seqLen: 8, vocabBuckets: 32, optimizer: 'sgd' };
const learningRate = 0.5;
const globalModel = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(training)), 3);

async function roundUpdate(localSteps: number, proximalMu?: number): Promise<ParameterSet> {
  const result = await runDpRoundJob(
    {
      dataFile,
      format: 'tsv',
      columns: { text: 'text', label: 'label' },
      training: { ...training, learningRate, ...(proximalMu === undefined ? {} : { proximalMu }) },
      globalModel,
      dp: { clipNorm: 1, noiseMultiplier: 1e-9, sampleRate: 1, localSteps },
    },
    { control: new TrainingControl(), reportProgress: () => undefined },
  );
  return result.update;
}

describe('the DP round job with FedProx', () => {
  it('adds μ·(w − w_global) to each step after the first, as FedProx prescribes', async () => {
    const mu = 0.4;
    const [oneStep, twoSteps, twoStepsProx] = [await roundUpdate(1), await roundUpdate(2), await roundUpdate(2, mu)];
    let largest = 0;
    for (const [name, { data }] of twoStepsProx) {
      const plain = twoSteps.get(name)!.data;
      const first = oneStep.get(name)!.data;
      data.forEach((value, i) => {
        const expected = plain[i]! - learningRate * mu * first[i]!;
        expect(Math.abs(value - expected)).toBeLessThan(1e-5 + 1e-4 * Math.abs(expected));
        largest = Math.max(largest, Math.abs(value - plain[i]!));
      });
    }
    expect(largest).toBeGreaterThan(1e-4); // μ changed the update, so the comparison above was not vacuous
  });

  it('trains as FedAvg when μ is 0', async () => {
    const [plain, zero] = [await roundUpdate(2), await roundUpdate(2, 0)];
    for (const [name, { data }] of zero) {
      const expected = plain.get(name)!.data;
      data.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-6));
    }
  });

  it('refuses a negative or non-numeric μ, naming the setting', async () => {
    await expect(roundUpdate(1, -1)).rejects.toThrow('"proximalMu"');
    expect(() => federatedClassifierSettings({ proximalMu: 'a lot' })).toThrow('"proximalMu"');
  });
});

describe('the DP round job on the n-gram embedding bag', () => {
  const bag = { ...training, architecture: 'bag', bigramBuckets: 16, learningRate: 0.5 };
  const bagModel = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(bag)), 3);

  async function bagUpdate(settings: Record<string, number | string | boolean>): Promise<ParameterSet> {
    const result = await runDpRoundJob(
      {
        dataFile,
        format: 'tsv',
        columns: { text: 'text', label: 'label' },
        training: settings,
        globalModel: bagModel,
        dp: { clipNorm: 1, noiseMultiplier: 1e-9, sampleRate: 1, localSteps: 2 },
      },
      { control: new TrainingControl(), reportProgress: () => undefined },
    );
    return result.update;
  }

  const moved = (update: ParameterSet, name: string) => update.get(name)!.data.some((value) => value !== 0);

  it('has unigram and bigram tables and trains both with the head', async () => {
    const update = await bagUpdate(bag);
    expect(bagModel.get('trunk.bigram_embedding.weight')?.shape).toEqual([16, training.dModel]);
    for (const name of bagModel.keys()) expect(moved(update, name), name).toBe(true);
  });

  it('keeps the trunk bit-identical and trains the head when the trunk is frozen', async () => {
    const update = await bagUpdate({ ...bag, trainTrunk: false });
    const names = [...bagModel.keys()];
    expect(names.filter((name) => name.startsWith('trunk.')).length).toBeGreaterThan(0);
    for (const name of names) expect(moved(update, name), name).toBe(!name.startsWith('trunk.'));
  });

  it('refuses an unknown architecture or a non-boolean trainTrunk, naming the setting', () => {
    expect(() => federatedClassifierSettings({ architecture: 'lstm' })).toThrow('"architecture"');
    expect(() => federatedClassifierSettings({ trainTrunk: 'no' })).toThrow('"trainTrunk"');
  });
});
