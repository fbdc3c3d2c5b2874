/**
 * Local datasets, registered by reference: the file stays where it is, Accord keeps its path, column
 * mapping, sha256, size, modification time and statistics. Listing compares size and modification time
 * (and the sha256 when those moved) and before training the file is fingerprinted again; a file that
 * changed is marked 'changed' and refused until a person re-confirms it (which re-validates it).
 */
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';
import { requireRegularFile } from './dataset-file.ts';
import { fingerprintFile, type FileChange, fileChangeSince } from './dataset-fingerprint.ts';
import { ReadDeadline, registrationTimeoutMs } from './read-deadline.ts';
import {
  validateDataset,
  type ColumnMapping,
  type DatasetFormat,
  type DatasetStatistics,
} from './dataset-validation.ts';

export interface DatasetRegistration {
  readonly name: string;
  readonly path: string;
  readonly task: string;
  readonly format: DatasetFormat;
  readonly columns: ColumnMapping;
}

export interface Dataset extends DatasetRegistration {
  readonly id: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly stats: DatasetStatistics;
  readonly status: 'ready' | 'changed' | 'removed';
  readonly registeredAt: string;
  readonly confirmedAt: string;
}

interface DatasetRow extends Omit<Dataset, 'columns' | 'stats'> {
  columns: string;
  stats: string;
  fileMtimeMs: number | null;
}

const columns = `id, name, path, task, format, columns, sha256, size_bytes AS sizeBytes, stats, status,
  registered_at AS registeredAt, confirmed_at AS confirmedAt, file_mtime_ms AS fileMtimeMs`;

function fromRow({ fileMtimeMs: _mtime, ...row }: DatasetRow): Dataset {
  return {
    ...row,
    columns: JSON.parse(row.columns) as ColumnMapping,
    stats: JSON.parse(row.stats) as DatasetStatistics,
  };
}

/** Reads and validates the whole file within the registration time bound; returns what is stored of it. */
async function confirmFile(path: string, format: DatasetFormat, mapping: ColumnMapping, timeoutMs: number) {
  const file = requireRegularFile(path);
  const deadline = new ReadDeadline(`checking ${file.path}`, timeoutMs);
  const stats = await validateDataset(file.path, format, mapping, deadline);
  const { sha256, sizeBytes } = await fingerprintFile(file.path);
  return { path: file.path, stats, sha256, sizeBytes, mtimeMs: requireRegularFile(file.path).mtimeMs };
}

export class DatasetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetUnavailableError';
  }
}

/** The file's sha256 now, or 'missing' when it is gone or no longer a regular file. */
async function currentSha256(path: string): Promise<string> {
  try {
    return (await fingerprintFile(requireRegularFile(path).path)).sha256;
  } catch {
    return 'missing';
  }
}

export class DatasetRegistry {
  readonly db: SqliteDatabase;
  readonly audit: AuditLog;
  /** How long reading a file to register or re-confirm it may take. */
  readonly timeoutMs: number;
  constructor(db: SqliteDatabase, audit: AuditLog, timeoutMs = registrationTimeoutMs) {
    this.db = db;
    this.audit = audit;
    this.timeoutMs = timeoutMs;
  }

  async register(registration: DatasetRegistration): Promise<Dataset> {
    const confirmed = await confirmFile(registration.path, registration.format, registration.columns, this.timeoutMs);
    const { path, stats, sha256, sizeBytes } = confirmed;
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO datasets (id, name, path, task, format, columns, sha256, size_bytes, stats, status, registered_at,
            confirmed_at, file_mtime_ms)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)`,
        )
        .run(
          id,
          registration.name,
          path,
          registration.task,
          registration.format,
          JSON.stringify(registration.columns),
          sha256,
          sizeBytes,
          JSON.stringify(stats),
          now,
          now,
          confirmed.mtimeMs,
        );
      this.audit.append('dataset', {
        action: 'registered',
        datasetId: id,
        name: registration.name,
        path,
        sha256,
        rows: stats.rows,
      });
    })();
    return this.require(id);
  }

  list(includeRemoved = false): Dataset[] {
    const where = includeRemoved ? '' : "WHERE status != 'removed'";
    return (
      this.db.prepare(`SELECT ${columns} FROM datasets ${where} ORDER BY registered_at`).all() as DatasetRow[]
    ).map(fromRow);
  }

  /**
   * The datasets with their status checked against the files as they are now: a file whose size or
   * modification time moved is hashed, and marked 'changed' when its bytes differ from those confirmed.
   */
  async listChecked(includeRemoved = false): Promise<Dataset[]> {
    const rows = this.db.prepare(`SELECT ${columns} FROM datasets WHERE status = 'ready'`).all() as DatasetRow[];
    for (const row of rows) {
      const change = await fileChangeSince(row.path, row.sizeBytes, row.fileMtimeMs, row.sha256);
      if (change.kind === 'changed') this.markChanged(fromRow(row), change);
      else if (change.kind === 'touched')
        this.db.prepare('UPDATE datasets SET file_mtime_ms = ? WHERE id = ?').run(change.mtimeMs, row.id);
    }
    return this.list(includeRemoved);
  }

  get(id: string): Dataset | undefined {
    const row = this.db.prepare(`SELECT ${columns} FROM datasets WHERE id = ?`).get(id) as DatasetRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  require(id: string): Dataset {
    const dataset = this.get(id);
    if (!dataset) throw new Error(`no dataset with id ${id}`);
    return dataset;
  }

  /** Forgets the dataset for training; its ledger history stays (the ledger is immutable). */
  remove(id: string): void {
    this.require(id);
    this.db.transaction(() => {
      this.db.prepare("UPDATE datasets SET status = 'removed' WHERE id = ?").run(id);
      this.audit.append('dataset', { action: 'removed', datasetId: id });
    })();
  }

  /** Fingerprints the file again; throws (and marks it 'changed') unless it is exactly what was confirmed. */
  async ensureUnchanged(id: string): Promise<Dataset> {
    const dataset = this.require(id);
    if (dataset.status === 'removed') throw new DatasetUnavailableError(`dataset ${dataset.name} (${id}) was removed`);
    const current = await currentSha256(dataset.path);
    if (dataset.status === 'changed' || current !== dataset.sha256) {
      if (dataset.status !== 'changed') this.markChanged(dataset, { kind: 'changed', currentSha256: current });
      throw new DatasetUnavailableError(
        `dataset ${dataset.name} (${dataset.path}) changed since it was confirmed: re-confirm it before it is trained on (accord participant datasets reconfirm ${id})`,
      );
    }
    return dataset;
  }

  /** A person confirms the file as it is now: validated again, new fingerprint and statistics. */
  async reconfirm(id: string): Promise<Dataset> {
    const dataset = this.require(id);
    const confirmed = await confirmFile(dataset.path, dataset.format, dataset.columns, this.timeoutMs);
    const { sha256, sizeBytes, stats } = confirmed;
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE datasets SET sha256 = ?, size_bytes = ?, stats = ?, status = 'ready', confirmed_at = ?, file_mtime_ms = ?
          WHERE id = ?`,
        )
        .run(sha256, sizeBytes, JSON.stringify(stats), new Date().toISOString(), confirmed.mtimeMs, id);
      this.audit.append('dataset', { action: 'reconfirmed', datasetId: id, previousSha256: dataset.sha256, sha256 });
    })();
    return this.require(id);
  }

  private markChanged(dataset: Dataset, change: Extract<FileChange, { kind: 'changed' }>): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE datasets SET status = 'changed' WHERE id = ?").run(dataset.id);
      this.audit.append('dataset', {
        action: 'changed',
        datasetId: dataset.id,
        confirmedSha256: dataset.sha256,
        currentSha256: change.currentSha256,
      });
    })();
  }
}
