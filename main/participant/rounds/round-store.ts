/** Persists each round's state, its exact payload bytes and its outcome, one row per round. */
import type { SqliteDatabase } from '../store/participant-database.ts';
import type { UploadReceipt } from '../../../protocol/receipt.ts';
import type { DeclineReason, RoundTask } from '../coordinator-client/federation-link.ts';
import type { RoundState } from './round-state.ts';
import type { HeldOutEvaluation } from '../../../engine/train/held-out-evaluation-job.ts';

export interface TrainingOutcome {
  readonly numExamples: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly l2Norm: number;
  readonly dpSteps: { noiseMultiplier: number; sampleRate: number; steps: number };
  /** The received global model on the held-out part; null or absent when none was measured. */
  readonly evaluation?: HeldOutEvaluation | null;
}

export interface RoundRecord {
  readonly roundKey: string;
  readonly task: RoundTask;
  readonly state: RoundState;
  /** What happened, in words a person reads (the error, who declined and why). */
  readonly reason: string | null;
  /** Why a declined, expired or failed round closed, as the coordinator is told. */
  readonly declineReason: DeclineReason | null;
  readonly datasetId: string | null;
  readonly contributionId: string | null;
  readonly uploadId: string | null;
  readonly approvedSha256: string | null;
  readonly sentSha256: string | null;
  readonly receipt: UploadReceipt | null;
  readonly outcome: TrainingOutcome | null;
  readonly updatedAt: string;
}

interface RoundRow {
  round_key: string;
  task: string;
  state: RoundState;
  reason: string | null;
  decline_reason: DeclineReason | null;
  dataset_id: string | null;
  contribution_id: string | null;
  upload_id: string | null;
  approved_sha256: string | null;
  sent_sha256: string | null;
  receipt: string | null;
  result: string | null;
  updated_at: string;
}

/**
 * Rounds stored before a task named its update encoding were all written in the codec's own format, so a round
 * resumed from such a row encodes and decodes as it did then.
 */
const encodingBeforeTasksNamedIt = 'accord-update-v1';

function storedTask(json: string): RoundTask {
  const task = JSON.parse(json) as Omit<RoundTask, 'updateEncoding'> & { updateEncoding?: string };
  return { ...task, updateEncoding: task.updateEncoding ?? encodingBeforeTasksNamedIt };
}

function fromRow(row: RoundRow): RoundRecord {
  return {
    roundKey: row.round_key,
    task: storedTask(row.task),
    state: row.state,
    reason: row.reason,
    declineReason: row.decline_reason,
    datasetId: row.dataset_id,
    contributionId: row.contribution_id,
    uploadId: row.upload_id,
    approvedSha256: row.approved_sha256,
    sentSha256: row.sent_sha256,
    receipt: row.receipt ? (JSON.parse(row.receipt) as UploadReceipt) : null,
    outcome: row.result ? (JSON.parse(row.result) as TrainingOutcome) : null,
    updatedAt: row.updated_at,
  };
}

export type RoundChanges = Partial<{
  reason: string | null;
  decline_reason: DeclineReason | null;
  dataset_id: string;
  contribution_id: string;
  upload_id: string;
  approved_sha256: string;
  sent_sha256: string;
  receipt: string;
  result: string;
}>;

export class RoundStore {
  readonly db: SqliteDatabase;
  constructor(db: SqliteDatabase) {
    this.db = db;
  }

  insert(roundKey: string, task: RoundTask): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO rounds (round_key, federation_id, round_id, task, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'invited', ?, ?)`,
      )
      .run(roundKey, task.federationId, task.roundId, JSON.stringify(task), now, now);
  }

  get(roundKey: string): RoundRecord | undefined {
    const row = this.db.prepare('SELECT * FROM rounds WHERE round_key = ?').get(roundKey) as RoundRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  require(roundKey: string): RoundRecord {
    const round = this.get(roundKey);
    if (!round) throw new Error(`no round ${roundKey}`);
    return round;
  }

  list(): RoundRecord[] {
    return (this.db.prepare('SELECT * FROM rounds ORDER BY created_at').all() as RoundRow[]).map(fromRow);
  }

  setState(roundKey: string, state: RoundState, changes: RoundChanges = {}): void {
    const entries = Object.entries(changes);
    const sets = ['state = ?', 'updated_at = ?', ...entries.map(([column]) => `${column} = ?`)].join(', ');
    this.db
      .prepare(`UPDATE rounds SET ${sets} WHERE round_key = ?`)
      .run(state, new Date().toISOString(), ...entries.map(([, value]) => value), roundKey);
  }

  savePayload(roundKey: string, kind: 'approved' | 'sent', sha256: string, bytes: Uint8Array): void {
    this.db
      .prepare('INSERT OR REPLACE INTO round_payloads (round_key, kind, sha256, bytes) VALUES (?, ?, ?, ?)')
      .run(roundKey, kind, sha256, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  payload(roundKey: string, kind: 'approved' | 'sent'): { sha256: string; bytes: Uint8Array } | undefined {
    const row = this.db
      .prepare('SELECT sha256, bytes FROM round_payloads WHERE round_key = ? AND kind = ?')
      .get(roundKey, kind) as { sha256: string; bytes: Buffer } | undefined;
    return row ? { sha256: row.sha256, bytes: new Uint8Array(row.bytes) } : undefined;
  }

  dropPayloads(roundKey: string): void {
    this.db.prepare('DELETE FROM round_payloads WHERE round_key = ?').run(roundKey);
  }
}
