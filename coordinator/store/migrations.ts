/**
 * Versioned schema migrations for the coordinator's database: each runs once, in its own transaction,
 * and is recorded in schema_versions, so a federation folder made by an older coordinator is brought up
 * to date step by step when it is opened.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function schemaVersion(db: Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_versions').get() as { version: number | null };
  return row.version ?? 0;
}

/** Applies every migration newer than the database's version; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  const current = schemaVersion(db);
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  const record = db.prepare('INSERT INTO schema_versions (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
  return pending.map((m) => m.version);
}
