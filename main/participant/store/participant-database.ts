/**
 * The participant's SQLite database: WAL (readers never block the writer), foreign keys on,
 * migrations applied at open, and an online backup that copies a consistent snapshot while in use.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { resolveAccordHome } from './app-data-dir.ts';
import { migrate } from './migrations.ts';
import { ensurePrivateFile, ensurePrivateFolder } from './private-files.ts';
import { participantMigrations } from './schema.ts';

export type SqliteDatabase = Database.Database;

export interface ParticipantDatabase {
  readonly db: SqliteDatabase;
  readonly home: string;
  readonly file: string;
  /** Online backup (SQLite's backup API): consistent even while other writes go on. */
  backup(destination: string): Promise<void>;
  close(): void;
}

export const databaseFileName = 'participant.sqlite';

export function openParticipantDatabase(home?: string): ParticipantDatabase {
  const root = resolveAccordHome(home);
  ensurePrivateFolder(root);
  const file = join(root, databaseFileName);
  ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, participantMigrations);
  return {
    db,
    home: root,
    file,
    backup: async (destination) => {
      await db.backup(destination);
    },
    close: () => db.close(),
  };
}

/** Runs fn with synchronous=FULL, so its commit is fsync'd before fn returns (used before bytes leave). */
export function withFullSync<T>(db: SqliteDatabase, fn: () => T): T {
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  try {
    return fn();
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}
