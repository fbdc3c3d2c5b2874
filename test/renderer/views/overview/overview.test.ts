import { afterEach, describe, expect, it } from 'vitest';
import { OverviewController } from '../../../../renderer/src/views/overview/overview.svelte.ts';
import { summarizeFederations } from '../../../../renderer/src/views/overview/federation-summary.ts';
import type { RoundSummary } from '../../../../preload/contract.ts';
import { openParticipantNode } from '../../../../main/participant/participant-node.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import {
  tempDir,
  wiredParticipant,
  writeSentimentCsv,
  type WiredParticipant,
} from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let wired: WiredParticipant | undefined;
afterEach(async () => {
  await Promise.allSettled([...(wired?.runner.inFlight.values() ?? [])]);
  wired?.coordinator.close();
  wired?.node.close();
});

function round(federationId: string, roundNumber: number, state: RoundSummary['state']): RoundSummary {
  return {
    roundKey: `${federationId}/r${roundNumber}`,
    federationId,
    roundId: `r${roundNumber}`,
    roundNumber,
    coordinator: `${federationId}.example:7443`,
    state,
    reason: null,
    datasetId: null,
    approvedSha256: null,
    sentSha256: null,
    deadline: '2030-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('summarizeFederations', () => {
  it('finds the running round and the last finished one of each federation', () => {
    const summary = summarizeFederations([
      round('a', 1, 'receipted'),
      round('a', 2, 'declined'),
      round('a', 3, 'training'),
      round('b', 1, 'failed'),
    ]);
    expect(summary.map((f) => [f.federationId, f.current?.roundNumber, f.latest?.roundNumber, f.rounds])).toEqual([
      ['a', 3, 2, 3],
      ['b', undefined, 1, 1],
    ]);
  });
});

describe('OverviewController', () => {
  it('is not enrolled and flags a dataset without a budget on a fresh workstation', async () => {
    const home = tempDir('accord-ui-overview-');
    const node = openParticipantNode({ home });
    await node.datasets.register({
      name: 'notes',
      path: writeSentimentCsv(home),
      task: 's',
      format: 'csv',
      columns: { text: 'text' },
    });
    const overview = new OverviewController(dispatchedApi(node));
    await overview.load();
    expect(overview.enrolled).toBe(false);
    expect(overview.alerts).toEqual([
      { kind: 'budget', message: 'Dataset notes has no privacy budget yet.', view: 'privacy' },
    ]);
    node.close();
  });

  it('raises an approval alert and a low-budget alert once less than a fifth is left', async () => {
    wired = await wiredParticipant({ epsilon: 1 });
    await wired.runner.handle(fakeTask());
    const overview = new OverviewController(dispatchedApi(wired.node));
    await overview.load();
    expect(overview.enrolled).toBe(true);
    expect(overview.alerts.map((alert) => alert.kind)).toEqual(['approval']);
    wired.node.consent.approve(wired.node.consent.pending()[0]!.id, { by: 'tester' });
    await Promise.allSettled([...wired.runner.inFlight.values()]);
    const spent = wired.node.ledger.spent(wired.datasetId);
    await overview.load();
    // The fake task's round spends ε ≈ 0.956 of 1: less than 0.2 left.
    expect(1 - spent).toBeLessThan(0.2);
    expect(overview.alerts.map((alert) => alert.kind)).toEqual(['budget']);
    expect(overview.alerts[0]?.message).toContain('is low');
  });
});
