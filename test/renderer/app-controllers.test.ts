import { afterEach, describe, expect, it } from 'vitest';
import { AppControllers } from '../../renderer/src/app-controllers.svelte.ts';
import type { Subscribe } from '../../renderer/src/api.ts';
import type { EventName } from '../../preload/contract.ts';
import { fakeTask } from '../support/fake-coordinator.ts';
import { wiredParticipant, type WiredParticipant } from '../support/participant-fixtures.ts';
import { dispatchedApi } from '../support/renderer-api.ts';
import { waitUntil } from '../support/wait-until.ts';

let wired: WiredParticipant | undefined;
afterEach(async () => {
  await Promise.allSettled([...(wired?.runner.inFlight.values() ?? [])]);
  wired?.coordinator.close();
  wired?.node.close();
});

/** The participant's own event bus, as the renderer's subscribe sees it after the transport. */
function busSubscribe(w: WiredParticipant): Subscribe {
  return (event, listener) =>
    w.node.events.subscribe((name: EventName, data: unknown) => {
      if (name === event) listener(data as never);
    });
}

describe('AppControllers', () => {
  it("follows a round from the participant's events: training curve, its name, and the approval banner", async () => {
    wired = await wiredParticipant();
    const app = new AppControllers(dispatchedApi(wired.node));
    const stop = app.connect(busSubscribe(wired), () => 'training');
    await wired.runner.handle(fakeTask({ roundNumber: 4 }));
    await waitUntil(() => app.waitingApprovals === 1, 'the approval banner counting the waiting contribution');
    // FakeTrainer reports 3 steps with loss 1/step.
    expect(app.training.points.map((point) => point.loss)).toEqual([1, 1 / 2, 1 / 3]);
    expect(app.training.roundLabel).toBe('round 4 of fed-a');
    expect(app.waitingApprovals).toBe(1);
    expect(app.announcement).toBe('A contribution awaits your approval.');
    wired.node.consent.approve(wired.node.consent.pending()[0]!.id, { by: 'tester' });
    await Promise.allSettled([...wired.runner.inFlight.values()]);
    await waitUntil(() => app.waitingApprovals === 0, 'the approval banner clearing after the approval');
    expect(app.announcement).toBe('');
    stop();
  });
});
