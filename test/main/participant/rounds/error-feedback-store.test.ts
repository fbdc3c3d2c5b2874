import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParticipantLog, participantLogFile } from '../../../../main/participant/logging/participant-log.ts';
import { ErrorFeedbackStore } from '../../../../main/participant/rounds/error-feedback-store.ts';
import { RoundStore } from '../../../../main/participant/rounds/round-store.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { fakeTask } from '../../../support/fake-coordinator.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

const spec = [
  { name: 'w', shape: [2, 3] },
  { name: 'b', shape: [2] },
];
const residual = (offset: number) =>
  new Map([
    ['w', Float32Array.from([1, 2, 3, 4, 5, 6], (v) => v + offset)],
    ['b', Float32Array.from([-1, -2], (v) => v - offset)],
  ]);

function open(home: string) {
  const database = openParticipantDatabase(home);
  const rounds = new RoundStore(database.db);
  for (const roundId of ['r1', 'r2', 'r3']) {
    if (!rounds.get(`fed-a/${roundId}`)) rounds.insert(`fed-a/${roundId}`, fakeTask({ roundId }));
  }
  return { database, store: new ErrorFeedbackStore(database.db, new ParticipantLog(participantLogFile(home))) };
}

describe('ErrorFeedbackStore', () => {
  it('makes a round’s residual the federation’s only once that round is sent, and keeps it across a reopen', () => {
    const home = tempDir();
    const first = open(home);
    first.store.savePrepared('fed-a/r1', 'fed-a', spec, residual(0));
    expect(first.store.current('fed-a', spec)).toBeUndefined();
    first.store.markSent('fed-a/r1', 'fed-a');
    // A later round that is prepared but never sent (declined) leaves the federation's residual alone.
    first.store.savePrepared('fed-a/r2', 'fed-a', spec, residual(10));
    first.database.close();

    const second = open(home);
    expect(second.store.current('fed-a', spec)).toEqual(residual(0));
    expect(second.store.current('fed-b', spec)).toBeUndefined();
    second.store.savePrepared('fed-a/r3', 'fed-a', spec, residual(20));
    second.store.markSent('fed-a/r3', 'fed-a');
    expect(second.store.current('fed-a', spec)).toEqual(residual(20));
    expect(second.store.ofRound('fed-a/r1', spec)).toBeUndefined();
    second.database.close();
  });

  it('discards, with a log line, a residual kept for another model spec (a new job)', () => {
    const home = tempDir();
    const { database, store } = open(home);
    store.savePrepared('fed-a/r1', 'fed-a', spec, residual(0));
    store.markSent('fed-a/r1', 'fed-a');
    const newJob = [{ name: 'w', shape: [3, 2] }, spec[1]!];
    expect(store.current('fed-a', newJob)).toBeUndefined();
    expect(store.current('fed-a', spec)).toBeUndefined();
    const lines = readFileSync(participantLogFile(home), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      message: 'error feedback discarded: the model spec changed',
      federationId: 'fed-a',
      roundKey: 'fed-a/r1',
    });
    database.close();
  });

  it('refuses a residual whose tensor does not have the spec’s size', () => {
    const { database, store } = open(tempDir());
    expect(() => store.savePrepared('fed-a/r1', 'fed-a', spec, new Map([['b', new Float32Array(3)]]))).toThrow(
      'error feedback for tensor "b" has 3 values, the spec 2',
    );
    database.close();
  });
});
