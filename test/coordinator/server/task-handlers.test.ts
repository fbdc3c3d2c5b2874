/**
 * The round task a participant polls over gRPC carries the training settings its strategy needs; a metrics
 * report is taken only from a site that committed an update in the round, and only with task-named figures.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { siteMetrics } from '../../../coordinator/store/evaluation-metrics.ts';
import { encodeFloat32Update } from '../../../engine/codec/float32-update.ts';
import type { GrpcFederationLink } from '../../../main/participant/coordinator-client/grpc-federation-link.ts';
import { pullTowards } from '../support/deterministic-participant.ts';
import { enrolledParticipant, enrolRaw, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

let coordinator: Coordinator | undefined;
afterEach(async () => {
  await coordinator?.stop();
  coordinator = undefined;
});

async function polledTraining(strategy: Record<string, unknown>) {
  const config = await writeTestFederation({ strategy, participantsPerRound: { min: 1, max: 1 } });
  const started = await startCoordinator(config);
  coordinator = started.coordinator;
  const link = await enrolledParticipant(config, started.address, 'site');
  const task = await link.pollTask();
  link.close();
  return { task, training: config.training };
}

describe('the round task over gRPC', () => {
  it("carries FedProx's μ among the training settings, beside the config's own", async () => {
    const { task, training } = await polledTraining({ name: 'fedprox', proximalMu: 0.25 });
    expect(task?.training).toEqual({ ...training, proximalMu: 0.25 });
  });

  it("carries FedProx's default μ when the config names none", async () => {
    const { task } = await polledTraining({ name: 'fedprox' });
    expect(task?.training.proximalMu).toBeGreaterThan(0);
  });

  it('carries no μ under FedAvg, so participants train without a proximal term', async () => {
    const { task, training } = await polledTraining({ name: 'fedavg' });
    expect(task?.training).toEqual(training);
    expect(task?.training).not.toHaveProperty('proximalMu');
  });
});

describe('ReportMetrics', () => {
  it('refuses a site that committed no update in the round, and a figure without a task or metric name', async () => {
    const config = await writeTestFederation({
      updateEncoding: 'float32-le',
      participantsPerRound: { min: 2, max: 2 },
    });
    const started = await startCoordinator(config);
    coordinator = started.coordinator;
    const links: GrpcFederationLink[] = [];
    const idle = await enrolRaw(config, started.address, 'idle', links);
    const busy = await enrolRaw(config, started.address, 'busy', links);
    const task = (await links[1]!.pollTask())!;
    await links[0]!.pollTask();
    const report = { roundId: task.roundId, metrics: { 'sentiment/accuracy': 0.5 } };
    expect(await idle.send('reportMetrics', report)).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/committed no update/),
    });
    const global = await links[1]!.downloadModel(task);
    const payload = encodeFloat32Update(pullTowards(global, 1), task.modelSpec);
    await links[1]!.uploadUpdate(task, 'busy-upload', payload, { numExamples: 3, metrics: {} });
    expect(await busy.send('reportMetrics', { ...report, metrics: { '/accuracy': 0.5 } })).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/"\/accuracy"/),
    });
    expect(siteMetrics(coordinator.context.store.db)).toEqual([]);
    expect((await busy.send('reportMetrics', report)).code).toBe(grpc.status.OK);
    expect(siteMetrics(coordinator.context.store.db).map((f) => [f.siteName, f.task, f.metric, f.value])).toEqual([
      ['busy', 'sentiment', 'accuracy', 0.5],
    ]);
    links.forEach((link) => link.close());
  });
});
