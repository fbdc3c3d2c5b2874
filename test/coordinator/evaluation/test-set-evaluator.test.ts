/**
 * The coordinator's own test set: a real coordinator over gRPC + TLS runs rounds with real participants'
 * updates of the federated classifier; each aggregated checkpoint is scored in a worker and filed under its
 * round as site "coordinator". The expected figures are the test-set job run here on the checkpoint file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { coordinatorSite, siteMetrics } from '../../../coordinator/store/evaluation-metrics.ts';
import { readSafetensorsFile } from '../../../engine/codec/safetensors.ts';
import { initializeClassifierParameters } from '../../../engine/nn/classifier.ts';
import { federatedClassifierConfig, federatedClassifierSettings } from '../../../engine/train/federated-classifier.ts';
import { runTestSetEvaluationJob } from '../../../engine/train/test-set-evaluation-job.ts';
import { rawFloat32Encoder, runRounds } from '../support/deterministic-participant.ts';
import { enrolledParticipant, startCoordinator, writeTestFederation } from '../support/test-federation.ts';
import { tempDir } from '../../support/participant-fixtures.ts';

let running: Coordinator | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const training = { layers: 1, dModel: 8, heads: 2, ff: 16, seqLen: 8, vocabBuckets: 32, physicalBatchSize: 16 };
const columns = { text: 'sentence', label: 'polarity' };

function writeTestSet(): string {
  const file = join(tempDir('accord-test-set-'), 'test.tsv');
  const rows = Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'a warm story' : 'a dull evening'} ${i}\t${i % 2}`);
  writeFileSync(file, ['sentence\tpolarity', ...rows].join('\n'));
  return file;
}

describe('the coordinator evaluating on its own test set', () => {
  it('files the figures of each aggregated model under its round, as site "coordinator"', async () => {
    const weights = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(training)), 4);
    const file = writeTestSet();
    const config = await writeTestFederation(
      {
        rounds: 2,
        participantsPerRound: { min: 2, max: 2 },
        updateEncoding: 'float32-le',
        training,
        evaluation: { testSet: { file, columns, format: 'tsv' } },
      },
      weights,
    );
    const { coordinator, address } = await startCoordinator(config);
    running = coordinator;
    const links = await Promise.all(['clinic', 'bank'].map((name) => enrolledParticipant(config, address, name)));
    await Promise.all(
      links.map((link, i) => runRounds(link, `site-${i}`, i ? 0.3 : -0.2, 10 + i, 2, rawFloat32Encoder)),
    );
    await coordinator.context.rounds.idle();
    await coordinator.context.evaluator?.idle();
    links.forEach((link) => link.close());

    const stored = siteMetrics(coordinator.context.store.db).filter((figure) => figure.site === coordinatorSite);
    for (const round of coordinator.context.store.rounds()) {
      const checkpoint = coordinator.context.store.checkpoint(round.number)!;
      const model = await readSafetensorsFile(checkpoint.path, config.model.spec);
      const expected = await runTestSetEvaluationJob({ dataFile: file, format: 'tsv', columns, training, model });
      const filed = stored.filter((figure) => figure.roundId === round.id);
      expect(Object.fromEntries(filed.map((figure) => [figure.metric, figure.value]))).toEqual(expected);
      expect(filed.every((figure) => figure.task === config.task)).toBe(true);
    }
    expect(new Set(stored.map((figure) => figure.roundNumber))).toEqual(new Set([1, 2]));
  }, 120_000);

  it('refuses to start when the test set named in the configuration does not exist, naming it', async () => {
    const weights = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(training)), 4);
    const missing = join(tempDir('accord-test-set-'), 'absent.tsv');
    const config = await writeTestFederation(
      { training, evaluation: { testSet: { file: missing, columns } } },
      weights,
    );
    await expect(startCoordinator(config)).rejects.toThrow(`evaluation.testSet.file ${missing} does not exist`);
  });
});
