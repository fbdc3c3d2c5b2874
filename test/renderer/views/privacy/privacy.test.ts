import { afterEach, describe, expect, it } from 'vitest';
import { PrivacyController, spendSeries } from '../../../../renderer/src/views/privacy/privacy.svelte.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let wired: WiredParticipant | undefined;
afterEach(async () => {
  await Promise.allSettled([...(wired?.runner.inFlight.values() ?? [])]);
  wired?.coordinator.close();
  wired?.node.close();
});

async function approveRound(roundId: string, roundNumber: number): Promise<void> {
  await wired!.runner.handle(fakeTask({ roundId, roundNumber }));
  const [pending] = wired!.node.consent.pending();
  wired!.node.consent.approve(pending!.id, { by: 'tester' });
  await Promise.allSettled([...wired!.runner.inFlight.values()]);
}

describe('PrivacyController', () => {
  it('charts ε per round and in total from the ledger, and projects the next round with the same DP steps', async () => {
    wired = await wiredParticipant({ epsilon: 8 });
    await approveRound('round-1', 1);
    await approveRound('round-2', 2);
    const privacy = new PrivacyController(dispatchedApi(wired.node));
    await privacy.load();
    const entries = wired.node.ledger.entries(wired.datasetId);
    expect(privacy.series.labels).toEqual(['Round 1', 'Round 2']);
    expect(privacy.series.perRound).toEqual(entries.map((entry) => entry.epsilonRound));
    expect(privacy.series.cumulative).toEqual(entries.map((entry) => entry.epsilonAfter));
    const last = entries.at(-1)!;
    const expected = wired.node.ledger.project(wired.datasetId, last);
    expect(privacy.selected?.next?.epsilonAfter).toBeCloseTo(expected.epsilonAfter, 12);
    // The accountant composes: three rounds cost more than two.
    expect(privacy.selected!.next!.epsilonAfter).toBeGreaterThan(last.epsilonAfter);
  });

  it('refuses a budget that is not a positive ε and a δ in (0, 1) before asking the participant', async () => {
    wired = await wiredParticipant();
    const privacy = new PrivacyController(dispatchedApi(wired.node));
    await privacy.load();
    privacy.epsilonInput = '-2';
    await privacy.setBudget();
    expect(privacy.error).toBe('ε must be a number above 0.');
    privacy.epsilonInput = '3';
    privacy.deltaInput = '1';
    await privacy.setBudget();
    expect(privacy.error).toContain('δ must be');
    expect(wired.node.ledger.budget(wired.datasetId)?.epsilon).toBe(8);
  });

  it('sets a budget and reads it back', async () => {
    wired = await wiredParticipant();
    const privacy = new PrivacyController(dispatchedApi(wired.node));
    await privacy.load();
    privacy.select(wired.datasetId);
    expect(privacy.epsilonInput).toBe('8');
    privacy.epsilonInput = '4.5';
    privacy.deltaInput = '1e-6';
    await privacy.setBudget();
    expect(privacy.error).toBeUndefined();
    expect(privacy.selected?.budget).toMatchObject({ epsilon: 4.5, delta: 1e-6, spent: 0 });
  });

  it('has an empty series for a dataset without rounds', () => {
    expect(spendSeries(undefined)).toEqual({ labels: [], perRound: [], cumulative: [] });
  });
});
