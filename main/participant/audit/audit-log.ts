/**
 * The append-only, hash-chained audit log. Each entry's hash is sha256(previous hash + canonical JSON
 * of {seq, at, kind, data}); the head (last seq and hash) is kept beside it so a truncated tail is
 * noticed too. Appends join the caller's transaction, so an entry and the change it records commit
 * together or not at all.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { Statement } from 'better-sqlite3';
import { withFullSync, type SqliteDatabase } from '../store/participant-database.ts';

export const genesisHash = '0'.repeat(64);

export type AuditKind =
  | 'enrolment'
  | 'invitation'
  | 'acceptance'
  | 'download'
  | 'training'
  | 'update'
  | 'decision'
  | 'ledger.debit'
  | 'upload.intent'
  | 'upload'
  | 'round.closed'
  | 'metrics'
  | 'secagg.refused'
  | 'dataset'
  | 'budget'
  | 'policy';

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly data: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function entryHash(prevHash: string, entry: Pick<AuditEntry, 'seq' | 'at' | 'kind' | 'data'>): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, kind: entry.kind, data: entry.data });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export class AuditLog {
  readonly db: SqliteDatabase;
  readonly #readHead: Statement;
  readonly #insert: Statement;
  readonly #writeHead: Statement;
  readonly #write: (kind: string, data: Record<string, unknown>) => AuditEntry;
  readonly #afterAppend: () => void;

  /** `afterAppend` runs after each append, before its transaction commits (the anchor reads the head later). */
  constructor(db: SqliteDatabase, afterAppend: () => void = () => undefined) {
    this.db = db;
    this.#afterAppend = afterAppend;
    this.#readHead = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
    this.#insert = db.prepare('INSERT INTO audit (seq, at, kind, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)');
    this.#writeHead = db.prepare(
      'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    );
    this.#write = db.transaction((kind: string, data: Record<string, unknown>) => {
      const head = this.#readHead.get() as { seq: number; hash: string } | undefined;
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.hash ?? genesisHash;
      const at = new Date().toISOString();
      const body = canonicalJson(data);
      const normalized = JSON.parse(body) as Record<string, unknown>;
      const hash = entryHash(prevHash, { seq, at, kind, data: normalized });
      this.#insert.run(seq, at, kind, body, prevHash, hash);
      this.#writeHead.run(seq, hash);
      return { seq, at, kind, data: normalized, prevHash, hash };
    });
  }

  /** Appends one entry (inside the caller's transaction when there is one: it commits or rolls back with it). */
  append(kind: AuditKind, data: Record<string, unknown>): AuditEntry {
    const entry = this.#write(kind, data);
    this.#afterAppend();
    return entry;
  }

  /** Appends and fsyncs before returning (synchronous=FULL): for the entry that precedes an upload. */
  appendDurably(kind: AuditKind, data: Record<string, unknown>): AuditEntry {
    if (this.db.inTransaction) throw new Error('a durable audit entry must be its own transaction');
    return withFullSync(this.db, () => this.append(kind, data));
  }

  entries(): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[]).map(rowToEntry);
  }

  /** The newest entry of this kind whose data has `field` equal to `value` (e.g. an upload's intent by upload id). */
  newestOfKind(kind: AuditKind, field: string, value: string): AuditEntry | undefined {
    const row = this.db
      .prepare('SELECT * FROM audit WHERE kind = ? AND json_extract(data, ?) = ? ORDER BY seq DESC LIMIT 1')
      .get(kind, `$.${field}`, value) as AuditRow | undefined;
    return row && rowToEntry(row);
  }

  head(): { seq: number; hash: string } | undefined {
    return this.#readHead.get() as { seq: number; hash: string } | undefined;
  }
}
