import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createParticipantApi } from '../../../main/participant/api/participant-api.ts';
import { startHeadlessServer, type HeadlessServer } from '../../../main/headless/server.ts';
import { fakeTask } from '../../support/fake-coordinator.ts';
import { tempDir, wiredParticipant, type WiredParticipant } from '../../support/participant-fixtures.ts';
import { waitUntil } from '../../support/wait-until.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let server: HeadlessServer;
let participant: WiredParticipant;

beforeAll(async () => {
  participant = await wiredParticipant();
  const rendererDir = tempDir('accord-renderer-');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Accord</title>');
  server = await startHeadlessServer({
    api: createParticipantApi(participant.node),
    events: participant.node.events,
    rendererDir,
  });
});
afterAll(async () => {
  await server.close();
  participant.node.close();
});

describe('headless events', () => {
  it('pushes round state, training progress and waiting approvals as {event, data} frames, and answers calls', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
      headers: { cookie: `accord_token=${server.token}` },
    });
    const frames: { event?: string; id?: number; data?: unknown; value?: unknown }[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    await new Promise((resolve) => socket.on('open', resolve));
    const round = await participant.runner.handle(fakeTask());
    socket.send(JSON.stringify({ id: 7, method: 'approvals.pending', payload: {} }));
    // The reply leaves after every event the round emitted before the call, on the same socket.
    await waitUntil(() => frames.some((f) => f.id === 7), 'the reply to approvals.pending arriving');
    socket.close();
    const events = frames.filter((f) => f.event);
    expect(events.filter((f) => f.event === 'round.state').map((f) => (f.data as { state: string }).state)).toEqual([
      'invited',
      'accepted',
      'downloaded',
      'training',
      'update_ready',
      'awaiting_approval',
    ]);
    expect(events.filter((f) => f.event === 'training.progress')).toHaveLength(3);
    expect(events.find((f) => f.event === 'approvals.waiting')?.data).toEqual({
      count: 1,
      contributionIds: [round.contributionId],
    });
    const reply = frames.find((f) => f.id === 7) as { value: { id: string }[] };
    expect(reply.value.map((c) => c.id)).toEqual([round.contributionId]);
  });
});
