/**
 * Versioned schema migrations: each runs once, in its own transaction, and is recorded in
 * schema_versions, so a database opened by a newer Accord is brought up to date step by step.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly appliedAt: string;
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  return db
    .prepare('SELECT version, name, applied_at AS appliedAt FROM schema_versions ORDER BY version')
    .all() as AppliedMigration[];
}

/** Applies every migration newer than the database's version; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[]): number[] {
  const current = Math.max(0, ...appliedMigrations(db).map((applied) => applied.version));
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
