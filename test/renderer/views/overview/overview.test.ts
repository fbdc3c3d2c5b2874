import { afterEach, describe, expect, it } from 'vitest';
import { OverviewController } from '../../../../renderer/src/views/overview/overview.svelte.ts';
import { connectionText } from '../../../../renderer/src/views/overview/connection-text.ts';
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

describe('connectionText', () => {
  it('says how a coordinator is reached, worst first in tone', () => {
    expect(connectionText({ state: 'connected', since: '2026-01-01T10:00:00Z' }).tone).toBe('good');
    const down = connectionText({
      state: 'unreachable',
      error: 'connection refused',
      since: '2026-01-01T10:00:00Z',
      nextAttemptAt: '2026-01-01T10:05:00Z',
    });
    expect(down.tone).toBe('bad');
    expect(down.label).toContain('connection refused');
    expect(
      connectionText({ state: 'retrying', error: 'timeout', attempt: 3, nextAttemptAt: '2026-01-01T10:05:00Z' }).label,
    ).toContain('attempt 3');
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
    // Rounds here come from the test coordinator, not an enrolment: federations.list stays empty.
    expect(overview.enrolled).toBe(false);
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
