import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appliedMigrations, migrate } from '../../../../main/participant/store/migrations.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { participantMigrations } from '../../../../main/participant/store/schema.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

describe('participant database', () => {
  it('opens in WAL mode with foreign keys enforced, at the schema version of the last migration', () => {
    const store = openParticipantDatabase(tempDir());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(appliedMigrations(store.db).map((m) => m.version)).toEqual(participantMigrations.map((m) => m.version));
    expect(() =>
      store.db
        .prepare("INSERT INTO budgets (dataset_id, epsilon, delta, updated_at) VALUES ('nope', 1, 1e-5, 'now')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('applies each migration once, in order, and rolls a failing one back entirely', () => {
    const db = new Database(':memory:');
    const first = [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' }];
    expect(migrate(db, first)).toEqual([1]);
    expect(migrate(db, first)).toEqual([]);
    const broken = [
      ...first,
      { version: 2, name: 'b', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    expect(appliedMigrations(db).map((m) => m.version)).toEqual([1]);
  });

  it('re-opening an existing database keeps its data and applies nothing again', () => {
    const home = tempDir();
    const first = openParticipantDatabase(home);
    first.db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    first.close();
    const second = openParticipantDatabase(home);
    expect(second.db.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
    expect(appliedMigrations(second.db)).toHaveLength(participantMigrations.length);
    second.close();
  });

  it('backs up online: the copy opens on its own and holds the data written before the backup', async () => {
    const home = tempDir();
    const store = openParticipantDatabase(home);
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('answer', '42')").run();
    const copy = join(tempDir(), 'backup.sqlite');
    await store.backup(copy);
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('later', 'x')").run();
    const restored = new Database(copy, { readonly: true });
    expect(restored.prepare('SELECT key, value FROM settings ORDER BY key').all()).toEqual([
      { key: 'answer', value: '42' },
    ]);
    restored.close();
    store.close();
  });
});
