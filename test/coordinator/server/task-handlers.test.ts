/** The round task a participant polls over gRPC carries the training settings its strategy needs. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Coordinator } from '../../../coordinator/coordinator.ts';
import { enrolledParticipant, startCoordinator, writeTestFederation } from '../support/test-federation.ts';

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
