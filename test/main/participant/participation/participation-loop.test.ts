import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParticipantLog } from '../../../../main/participant/logging/participant-log.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { waitUntil } from '../../../support/wait-until.ts';
import type { ConnectionState } from '../../../../preload/contract.ts';
import { ParticipationLoop } from '../../../../main/participant/participation/participation-loop.ts';
import { coordinatorAddress } from '../../../../main/participant/participation/participation.ts';

describe('ParticipationLoop', () => {
  it('reports retrying, then unreachable after five failures in a row, then connected; logs each failure; stops cleanly', async () => {
    let polls = 0;
    const states: ConnectionState[] = [];
    const link = {
      pollTask: async () => {
        polls += 1;
        if (polls <= 6) throw Object.assign(new Error(`connect ECONNREFUSED (${polls})`), { code: 14 });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return undefined;
      },
    };
    const runner = {
      handle: () => Promise.reject(new Error('no task was given')),
      round: () => undefined,
    };
    const log = new ParticipantLog(join(tempDir(), 'logs', 'participant.log'));
    const loop = new ParticipationLoop({
      federationId: 'fed-a',
      log,
      link,
      runner,
      onConnection: (state) => states.push(state),
      backoff: { maxAttempts: Infinity, baseDelayMs: 1, maxDelayMs: 2 },
    });
    loop.start();
    await waitUntil(() => loop.connection.state === 'connected', 'the loop reaching the coordinator');
    await loop.stop();
    expect(states.map((state) => state.state)).toEqual([
      ...Array(4).fill('retrying'),
      'unreachable',
      'unreachable',
      'connected',
      'stopped',
    ]);
    expect(states[0]).toMatchObject({ attempt: 1, error: 'connect ECONNREFUSED (1)' });
    expect(Date.parse((states[0] as { nextAttemptAt: string }).nextAttemptAt)).not.toBeNaN();
    // The unreachable state keeps the time of the first failure that made it so.
    expect((states[4] as { since: string }).since).toBe((states[5] as { since: string }).since);
    const logged = readFileSync(log.file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as object);
    expect(logged).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) =>
        expect.objectContaining({ level: 'error', federationId: 'fed-a', error: `connect ECONNREFUSED (${n})` }),
      ),
    );
    const pollsAtStop = polls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(polls).toBe(pollsAtStop);
  });
});

describe('coordinatorAddress', () => {
  it('accepts host:port with or without a scheme and refuses anything else, naming it', () => {
    expect(coordinatorAddress('grpcs://coordinator.example.org:7443/')).toBe('coordinator.example.org:7443');
    expect(coordinatorAddress(' 10.0.0.5:50051 ')).toBe('10.0.0.5:50051');
    expect(() => coordinatorAddress('coordinator.example.org')).toThrow(/"coordinator.example.org" must be host:port/);
  });
});
