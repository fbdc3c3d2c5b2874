/**
 * Federated evaluation in real rounds: a real coordinator over gRPC + TLS on loopback, real participant nodes
 * (SQLite, keychain, participation loop) training with DP-SGD and evaluating the received global model in the
 * engine's worker. One site shares its metrics, one withholds them by policy. The coordinator must hold exactly
 * the figures the sharing site approved on its card, and nothing from the other. Then, on a participant with a
 * fake coordinator: the report goes out only after the receipt is stored, and a failed one is audited.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createInvitation, federationPaths } from '../../../../coordinator/setup/federation-files.ts';
import { siteMetrics } from '../../../../coordinator/store/evaluation-metrics.ts';
import { initializeClassifierParameters } from '../../../../engine/nn/classifier.ts';
import {
  federatedClassifierConfig,
  federatedClassifierSettings,
} from '../../../../engine/train/federated-classifier.ts';
import { KeytarCredentialStore } from '../../../../main/participant/keychain/keytar-credential-store.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { Participation } from '../../../../main/participant/participation/participation.ts';
import { terminalStates } from '../../../../main/participant/rounds/round-state.ts';
import { EngineLocalTrainer } from '../../../../main/participant/training/engine-local-trainer.ts';
import { sampleTraining, splitSampleData } from '../../../../scripts/demo/sample-federation.ts';
import { startCoordinator, writeTestFederation } from '../../../coordinator/support/test-federation.ts';
import type { TrainingRequest, TrainingResult } from '../../../../main/participant/rounds/local-trainer.ts';
import { evaluationMetrics } from '../../../../main/participant/rounds/evaluation-report.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { FakeTrainer } from '../../../support/fake-trainer.ts';
import { tempDir, wiredParticipant } from '../../../support/participant-fixtures.ts';
import { waitUntil } from '../../../support/wait-until.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const training = { ...sampleTraining, physicalBatchSize: 64, dModel: 16, ff: 32, vocabBuckets: 256 };
const rounds = 2;

async function startFederation() {
  const weights = initializeClassifierParameters(federatedClassifierConfig(federatedClassifierSettings(training)), 5);
  const config = await writeTestFederation(
    {
      rounds,
      participantsPerRound: { min: 2, max: 2 },
      roundDeadlineSeconds: 120,
      dp: { clipNorm: 1, noiseMultiplier: 1, sampleRate: 0.05, localSteps: 2 },
      training,
      limits: { chunkBytes: 256 * 1024 },
    },
    weights,
  );
  const { coordinator, address } = await startCoordinator(config);
  cleanups.push(() => coordinator.stop());
  return { config, coordinator, address };
}

type Federation = Awaited<ReturnType<typeof startFederation>>;

async function joinSite(federation: Federation, name: string, shard: string, metrics: 'share' | 'withhold') {
  const home = tempDir();
  const credentials = new KeytarCredentialStore(`Accord-test-${randomUUID()}`);
  cleanups.push(() => credentials.delete('identity.ed25519'));
  const node = openParticipantNode({ home, credentials });
  cleanups.push(() => node.close());
  const dataset = await node.datasets.register({
    name: `${name} reviews`,
    path: shard,
    task: 'sentiment',
    format: 'tsv',
    columns: { text: 'text', label: 'label' },
  });
  node.ledger.setBudget(dataset.id, 100, 1e-5);
  const federationId = federation.coordinator.context.federationId;
  node.consent.setPolicy(federationId, { mode: 'auto', limits: {}, metrics });
  const trainer = new EngineLocalTrainer();
  cleanups.push(() => trainer.close());
  const participation = await Participation.start(node, { trainer, pollWaitSeconds: 1 });
  cleanups.push(() => participation.close());
  await participation.enrol({
    coordinatorUrl: federation.address,
    invitation: createInvitation(federation.config, 7, name),
    caCertificatePem: readFileSync(federationPaths(federation.config.dataDir).caCertificate, 'utf8'),
    displayName: name,
  });
  const participantId = node.federations.get(federationId)?.participantId ?? '';
  return { node, participation, participantId };
}

type Site = Awaited<ReturnType<typeof joinSite>>;

function finished(site: Site): boolean {
  const done = site.participation.runner.rounds().filter((round) => terminalStates.has(round.state));
  return done.length === rounds;
}

describe('federated evaluation over gRPC + TLS', () => {
  it("stores each sharing site's approved figures per round and task, and nothing a site withheld", async () => {
    const federation = await startFederation();
    const { shards } = await splitSampleData(tempDir(), { participants: 2, alpha: 10, seed: 11 });
    const clinic = await joinSite(federation, 'Clinic', shards[0]!.path, 'share');
    const bank = await joinSite(federation, 'Bank', shards[1]!.path, 'withhold');
    await waitUntil(() => finished(clinic) && finished(bank), `both sites finishing ${rounds} rounds`, {
      timeoutMs: 240_000,
      intervalMs: 200,
    });

    const stored = siteMetrics(federation.coordinator.context.store.db);
    expect(stored.filter((figure) => figure.site === bank.participantId)).toEqual([]);
    for (const round of clinic.participation.runner.rounds()) {
      expect(round.state).toBe('receipted');
      const contribution = clinic.node.consent.require(round.contributionId ?? '');
      const card = contribution.summary.evaluation;
      expect(card?.examples).toBeGreaterThan(0);
      expect(contribution.summary.metricsShared).toBe(true);
      const atCoordinator = Object.fromEntries(
        stored
          .filter((figure) => figure.roundId === round.task.roundId && figure.site === clinic.participantId)
          .map((figure) => [`${figure.task}/${figure.metric}`, figure.value]),
      );
      expect(atCoordinator).toEqual({
        'sentiment/accuracy': card?.accuracy,
        'sentiment/macroF1': card?.macroF1,
        'sentiment/loss': card?.loss,
        'sentiment/examples': card?.examples,
      });
      // The approval's audit entry holds the same figures the card showed.
      const decision = clinic.node.audit
        .entries()
        .find((entry) => entry.kind === 'decision' && entry.data.contributionId === contribution.id);
      expect(decision?.data.evaluation).toEqual(card);
    }
    // The withholding site measured too, approved its figures kept, and its audit says they were not sent.
    for (const round of bank.participation.runner.rounds()) {
      const contribution = bank.node.consent.require(round.contributionId ?? '');
      expect(contribution.summary.evaluation?.examples).toBeGreaterThan(0);
      expect(contribution.summary.metricsShared).toBe(false);
      const report = bank.node.audit
        .entries()
        .find((entry) => entry.kind === 'metrics' && entry.data.roundKey === round.roundKey);
      expect(report?.data).toMatchObject({ sent: false, withheld: 'by the consent policy' });
    }
    // The global model moves between rounds, so the two rounds' figures come from two different models.
    const clinicRounds = clinic.participation.runner.rounds().map((round) => round.outcome?.evaluation?.loss);
    expect(new Set(clinicRounds).size).toBe(rounds);
  }, 300_000);
});

const evaluation = { accuracy: 0.625, macroF1: 0.6, loss: 0.71, examples: 8 };

/** The fake trainer, plus a held-out evaluation as the engine's trainer returns one. */
class EvaluatingTrainer extends FakeTrainer {
  override async train(request: TrainingRequest): Promise<TrainingResult> {
    return { ...(await super.train(request)), evaluation };
  }
}

describe('the evaluation report after a receipt', () => {
  it('sends the approved figures once the receipt is stored, named by task', async () => {
    const participant = await wiredParticipant({ trainer: new EvaluatingTrainer() });
    const { node, runner, coordinator } = participant;
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    const receiptStoredAtReport: boolean[] = [];
    const report = coordinator.reportMetrics.bind(coordinator);
    coordinator.reportMetrics = async (task, metrics) => {
      receiptStoredAtReport.push(runner.rounds().some((round) => round.receipt !== null));
      return report(task, metrics);
    };
    const task = fakeTask();
    const round = await runner.handle(task);
    expect(round.state).toBe('receipted');
    expect(receiptStoredAtReport).toEqual([true]);
    expect(coordinator.metricReports()).toEqual([
      { roundId: task.roundId, metrics: evaluationMetrics(task.taskName, evaluation) },
    ]);
    expect(Object.keys(evaluationMetrics('sentiment', evaluation)).sort()).toEqual([
      'sentiment/accuracy',
      'sentiment/examples',
      'sentiment/loss',
      'sentiment/macroF1',
    ]);
    const audited = node.audit.entries().find((entry) => entry.kind === 'metrics');
    expect(audited?.data).toMatchObject({ sent: true, metrics: evaluationMetrics(task.taskName, evaluation) });
  });

  it('keeps the round receipted and audits the failure when the coordinator cannot take the report', async () => {
    const participant = await wiredParticipant({ trainer: new EvaluatingTrainer() });
    const { node, runner, coordinator } = participant;
    node.consent.setPolicy('fed-a', { mode: 'auto', limits: {} });
    coordinator.reportMetrics = async () => {
      throw new Error('the coordinator is restarting');
    };
    const round = await runner.handle(fakeTask());
    expect(round.state).toBe('receipted');
    const audited = node.audit.entries().find((entry) => entry.kind === 'metrics');
    expect(audited?.data).toMatchObject({ sent: false, failed: 'the coordinator is restarting' });
  });
});
