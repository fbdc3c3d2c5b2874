import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/participant/store/migrations.ts';
import { databaseFileName, openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { participantMigrations } from '../../../../main/participant/store/schema.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

/** Rounds as a database of the previous schema holds them: the reason only in words (and in the audit). */
function writeOlderDatabase(home: string): void {
  const db = new Database(join(home, databaseFileName));
  migrate(
    db,
    participantMigrations.filter((m) => m.version < 3),
  );
  const round = db.prepare(
    `INSERT INTO rounds (round_key, federation_id, round_id, task, state, reason, created_at, updated_at)
     VALUES (?, 'fed-a', ?, '{}', ?, ?, 'then', 'then')`,
  );
  round.run('fed-a/r1', 'r1', 'declined', 'declined by budget: ε after this round would be 9 > budget 8');
  round.run('fed-a/r2', 'r2', 'declined', 'declined by ada: not this week');
  round.run('fed-a/r3', 'r3', 'declined', 'no dataset for task "sentiment" is registered with a privacy budget');
  round.run('fed-a/r4', 'r4', 'expired', 'not approved before the round deadline 2026-01-01T00:00:00.000Z');
  round.run('fed-a/r5', 'r5', 'failed', 'out of memory in layer 3');
  round.run('fed-a/r6', 'r6', 'receipted', null);
  const closed = { roundKey: 'fed-a/r3', state: 'declined', outcome: 'declined', declineReason: 'dataset_unavailable' };
  db.prepare(
    `INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (1, 'then', 'round.closed', ?, '', '')`,
  ).run(JSON.stringify(closed));
  db.close();
}

describe('participant schema', () => {
  it('upgrades an existing database: every closed round gets the kind of reason it closed for', () => {
    const home = tempDir();
    writeOlderDatabase(home);
    const store = openParticipantDatabase(home);
    const reasons = store.db
      .prepare('SELECT round_id AS roundId, decline_reason AS kind FROM rounds ORDER BY round_id')
      .all();
    expect(reasons).toEqual([
      { roundId: 'r1', kind: 'budget_exhausted' },
      { roundId: 'r2', kind: 'consent_refused' },
      { roundId: 'r3', kind: 'dataset_unavailable' },
      { roundId: 'r4', kind: 'expired' },
      { roundId: 'r5', kind: 'failed' },
      { roundId: 'r6', kind: null },
    ]);
    expect(() => store.db.prepare("UPDATE rounds SET decline_reason = 'bored' WHERE round_id = 'r6'").run()).toThrow(
      /CHECK/,
    );
    store.close();
  });
});
