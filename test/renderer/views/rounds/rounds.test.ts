import { afterEach, describe, expect, it } from 'vitest';
import { outcomeOf, RoundsController } from '../../../../renderer/src/views/rounds/rounds.svelte.ts';
import { RoundStateName } from '../../../../preload/contract.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let wired: WiredParticipant | undefined;
afterEach(async () => {
  await Promise.allSettled([...(wired?.runner.inFlight.values() ?? [])]);
  wired?.coordinator.close();
  wired?.node.close();
});

describe('outcomeOf', () => {
  it('names every round state, and only receipted rounds count as sent', () => {
    for (const state of RoundStateName.options) expect(outcomeOf(state).label).not.toBe('');
    const good = RoundStateName.options.filter((state) => outcomeOf(state).tone === 'good');
    expect(good).toEqual(['receipted']);
    expect(outcomeOf('declined').tone).toBe('bad');
  });
});

describe('RoundsController', () => {
  it('shows a waiting contribution, approves it with a comment and finds it sent in the history', async () => {
    wired = await wiredParticipant();
    const rounds = new RoundsController(dispatchedApi(wired.node));
    await wired.runner.handle(fakeTask());
    await rounds.load();
    expect(rounds.pending).toHaveLength(1);
    const id = rounds.pending[0]!.id;
    rounds.comments[id] = '  checked  ';
    await rounds.decide(id, 'approve');
    await Promise.allSettled([...wired.runner.inFlight.values()]);
    await rounds.load();
    expect(rounds.pending).toEqual([]);
    expect(rounds.history[0]?.state).toBe('receipted');
    expect(rounds.status).toContain('Approved round 1');
    expect(wired.node.consent.require(id).comment).toBe('checked');
  });

  it('declines: the coordinator hears of it and nothing is uploaded', async () => {
    wired = await wiredParticipant();
    const rounds = new RoundsController(dispatchedApi(wired.node));
    await wired.runner.handle(fakeTask());
    await rounds.load();
    await rounds.decide(rounds.pending[0]!.id, 'decline');
    await Promise.allSettled([...wired.runner.inFlight.values()]);
    await rounds.load();
    expect(rounds.history[0]?.state).toBe('declined');
    expect(rounds.status).toContain('nothing was sent');
    expect(wired.coordinator.uploads()).toEqual([]);
  });

  it('keeps the reason when a decision fails', async () => {
    wired = await wiredParticipant();
    const rounds = new RoundsController(dispatchedApi(wired.node));
    await rounds.decide('no-such-contribution', 'approve');
    expect(rounds.error).toContain('no-such-contribution');
  });
});
