/**
 * A real, in-process FederationLink for the participant's tests: a fake coordinator that hands out tasks and
 * records every upload in its own SQLite file (so it outlives a killed participant process). The gRPC client
 * and server are tested by their owner; the round runner depends only on the FederationLink interface.
 * Uploads are idempotent by id, as the protocol requires: the same id with the same bytes returns the same
 * receipt, the same id with different bytes is refused.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type {
  DeclineReason,
  FederationLink,
  RoundTask,
  UploadMetadata,
} from '../../main/participant/coordinator-client/federation-link.ts';
import type { UploadReceipt } from '../../protocol/receipt.ts';
import { tensor, type ParameterSet } from '../../engine/tensor/parameter-set.ts';

export const fakeModel = (): ParameterSet =>
  new Map([
    ['layer.weight', tensor([2, 3], [0.1, -0.2, 0.3, -0.4, 0.5, -0.6])],
    ['layer.bias', tensor([3], [0.01, 0.02, 0.03])],
  ]);

export function fakeModelSha256(): string {
  const hash = createHash('sha256');
  for (const [name, value] of fakeModel()) hash.update(name).update(new Uint8Array(value.data.buffer));
  return hash.digest('hex');
}

export function fakeTask(overrides: Partial<RoundTask> = {}): RoundTask {
  return {
    federationId: 'fed-a',
    coordinator: 'coordinator.example:7443',
    roundId: 'round-1',
    roundNumber: 1,
    deadline: new Date(Date.now() + 3_600_000).toISOString(),
    modelSha256: fakeModelSha256(),
    modelSpec: [...fakeModel()].map(([name, value]) => ({ name, shape: value.shape })),
    dp: { clipNorm: 1, noiseMultiplier: 1.1, sampleRate: 0.01, localSteps: 100 },
    taskName: 'sentiment',
    secureAggregation: false,
    updateEncoding: 'float32-le',
    training: { learningRate: 0.1 },
    ...overrides,
  };
}

export interface RecordedUpload {
  uploadId: string;
  roundId: string;
  sha256: string;
  bytes: number;
  attempts: number;
}

export class FakeCoordinator implements FederationLink {
  readonly db: Database.Database;
  readonly tasks: RoundTask[];
  /** Called after the bytes were recorded and before the receipt is returned (crash tests stop here). */
  afterReceive?: () => void;

  constructor(file: string, tasks: RoundTask[] = []) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS uploads (upload_id TEXT PRIMARY KEY, round_id TEXT, sha256 TEXT,
      bytes INTEGER, attempts INTEGER, receipt TEXT);
      CREATE TABLE IF NOT EXISTS declines (round_id TEXT, reason TEXT, detail TEXT);
      CREATE TABLE IF NOT EXISTS downloads (round_id TEXT);
      CREATE TABLE IF NOT EXISTS metrics (round_id TEXT, metrics TEXT)`);
    this.tasks = [...tasks];
  }

  async pollTask(): Promise<RoundTask | undefined> {
    return this.tasks.shift();
  }

  async downloadModel(task: RoundTask): Promise<ParameterSet> {
    this.db.prepare('INSERT INTO downloads VALUES (?)').run(task.roundId);
    if (task.modelSha256 !== fakeModelSha256()) throw new Error(`model hash mismatch for ${task.roundId}`);
    return fakeModel();
  }

  async uploadUpdate(
    task: RoundTask,
    uploadId: string,
    payload: Uint8Array,
    _m: UploadMetadata,
  ): Promise<UploadReceipt> {
    const sha256 = createHash('sha256').update(payload).digest('hex');
    const existing = this.db.prepare('SELECT * FROM uploads WHERE upload_id = ?').get(uploadId) as
      { sha256: string; receipt: string } | undefined;
    if (existing && existing.sha256 !== sha256) throw new Error(`upload ${uploadId} repeated with different bytes`);
    const receipt: UploadReceipt = existing
      ? (JSON.parse(existing.receipt) as UploadReceipt)
      : {
          uploadId,
          roundId: task.roundId,
          participantId: 'participant-1',
          sha256,
          bytes: payload.byteLength,
          acceptedAt: new Date().toISOString(),
          signature: 'c2lnbmF0dXJl',
        };
    if (existing) this.db.prepare('UPDATE uploads SET attempts = attempts + 1 WHERE upload_id = ?').run(uploadId);
    else
      this.db
        .prepare('INSERT INTO uploads VALUES (?, ?, ?, ?, 1, ?)')
        .run(uploadId, task.roundId, sha256, payload.byteLength, JSON.stringify(receipt));
    this.afterReceive?.();
    return receipt;
  }

  async decline(task: RoundTask, reason: DeclineReason, detail: string): Promise<void> {
    this.db.prepare('INSERT INTO declines VALUES (?, ?, ?)').run(task.roundId, reason, detail);
  }

  async reportMetrics(task: RoundTask, metrics: Record<string, number>): Promise<void> {
    this.db.prepare('INSERT INTO metrics VALUES (?, ?)').run(task.roundId, JSON.stringify(metrics));
  }

  /** The metrics reports received, oldest first. */
  metricReports(): { roundId: string; metrics: Record<string, number> }[] {
    const rows = this.db.prepare('SELECT round_id AS roundId, metrics FROM metrics ORDER BY rowid').all() as {
      roundId: string;
      metrics: string;
    }[];
    return rows.map((row) => ({ roundId: row.roundId, metrics: JSON.parse(row.metrics) as Record<string, number> }));
  }

  uploads(): RecordedUpload[] {
    return this.db
      .prepare('SELECT upload_id AS uploadId, round_id AS roundId, sha256, bytes, attempts FROM uploads')
      .all() as RecordedUpload[];
  }

  declines(): { round_id: string; reason: string; detail: string }[] {
    return this.db.prepare('SELECT * FROM declines').all() as { round_id: string; reason: string; detail: string }[];
  }

  close(): void {
    this.db.close();
  }
}
