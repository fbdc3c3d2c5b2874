/**
 * Local datasets, registered by reference: the file stays where it is, Accord keeps its path, column
 * mapping, sha256 and statistics. Before training the file is fingerprinted again; a file that changed
 * is marked 'changed' and refused until a person re-confirms it (which re-validates it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuditLog } from '../audit/audit-log.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';
import { fingerprintFile } from './dataset-fingerprint.ts';
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
}

const columns = `id, name, path, task, format, columns, sha256, size_bytes AS sizeBytes, stats, status,
  registered_at AS registeredAt, confirmed_at AS confirmedAt`;

function fromRow(row: DatasetRow): Dataset {
  return {
    ...row,
    columns: JSON.parse(row.columns) as ColumnMapping,
    stats: JSON.parse(row.stats) as DatasetStatistics,
  };
}

export class DatasetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetUnavailableError';
  }
}

export class DatasetRegistry {
  readonly db: SqliteDatabase;
  readonly audit: AuditLog;
  constructor(db: SqliteDatabase, audit: AuditLog) {
    this.db = db;
    this.audit = audit;
  }

  async register(registration: DatasetRegistration): Promise<Dataset> {
    const path = resolve(registration.path);
    if (!existsSync(path)) throw new Error(`dataset file not found: ${path}`);
    const stats = await validateDataset(path, registration.format, registration.columns);
    const { sha256, sizeBytes } = await fingerprintFile(path);
    const id = randomUUID();
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO datasets (id, name, path, task, format, columns, sha256, size_bytes, stats, status, registered_at, confirmed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?)`,
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
    const current = existsSync(dataset.path) ? (await fingerprintFile(dataset.path)).sha256 : 'missing';
    if (dataset.status === 'changed' || current !== dataset.sha256) {
      if (dataset.status !== 'changed') this.markChanged(dataset, current);
      throw new DatasetUnavailableError(
        `dataset ${dataset.name} (${dataset.path}) changed since it was confirmed: re-confirm it before it is trained on (accord participant datasets reconfirm ${id})`,
      );
    }
    return dataset;
  }

  /** A person confirms the file as it is now: validated again, new fingerprint and statistics. */
  async reconfirm(id: string): Promise<Dataset> {
    const dataset = this.require(id);
    const stats = await validateDataset(dataset.path, dataset.format, dataset.columns);
    const { sha256, sizeBytes } = await fingerprintFile(dataset.path);
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE datasets SET sha256 = ?, size_bytes = ?, stats = ?, status = 'ready', confirmed_at = ? WHERE id = ?",
        )
        .run(sha256, sizeBytes, JSON.stringify(stats), new Date().toISOString(), id);
      this.audit.append('dataset', { action: 'reconfirmed', datasetId: id, previousSha256: dataset.sha256, sha256 });
    })();
    return this.require(id);
  }

  private markChanged(dataset: Dataset, currentSha256: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE datasets SET status = 'changed' WHERE id = ?").run(dataset.id);
      this.audit.append('dataset', {
        action: 'changed',
        datasetId: dataset.id,
        confirmedSha256: dataset.sha256,
        currentSha256,
      });
    })();
  }
}
