/**
 * The coordinator's persistent state in SQLite (WAL): participants, invitations, rounds, assignments,
 * uploads (by upload id), global checkpoints and seen request signatures. Every method is one statement
 * or one transaction, so a coordinator killed at any point restarts from a consistent state.
 */
import Database from 'better-sqlite3';
import { ensureOperatorFile } from './operator-files.ts';
import { migrate } from './migrations.ts';
import { coordinatorMigrations } from './schema.ts';
import type {
  ParticipantRow,
  ReceiptAuditHead,
  RoundRow,
  RoundState,
  UploadRow,
  AssignmentRow,
  CheckpointRow,
} from './rows.ts';

export class CoordinatorStore {
  readonly db: Database.Database;

  constructor(path: string) {
    ensureOperatorFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, coordinatorMigrations);
  }

  close(): void {
    this.db.close();
  }

  setting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }

  addInvitation(tokenSha256: string, expiresAt: Date, note: string): void {
    this.db
      .prepare('INSERT INTO invitations (token_sha256, created_at, expires_at, note) VALUES (?, ?, ?, ?)')
      .run(tokenSha256, new Date().toISOString(), expiresAt.toISOString(), note);
  }

  invitation(tokenSha256: string): { expiresAt: string; usedBy: string | null } | undefined {
    const row = this.db
      .prepare('SELECT expires_at AS expiresAt, used_by AS usedBy FROM invitations WHERE token_sha256 = ?')
      .get(tokenSha256);
    return row as { expiresAt: string; usedBy: string | null } | undefined;
  }

  /** Enrols atomically: the participant row and the invitation's use together. */
  enrol(tokenSha256: string, participant: ParticipantRow): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO participants (id, public_key, display_name, enrolled_at) VALUES (?, ?, ?, ?)')
        .run(participant.id, participant.publicKey, participant.displayName, participant.enrolledAt);
      this.db.prepare('UPDATE invitations SET used_by = ? WHERE token_sha256 = ?').run(participant.id, tokenSha256);
    })();
  }

  participant(id: string): ParticipantRow | undefined {
    return this.db
      .prepare(
        'SELECT id, public_key AS publicKey, display_name AS displayName, enrolled_at AS enrolledAt FROM participants WHERE id = ?',
      )
      .get(id) as ParticipantRow | undefined;
  }

  participantCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM participants').get() as { n: number }).n;
  }

  /**
   * Records a signature, given as its bytes in hex, once; false when it was already seen (a replay).
   * Old entries are pruned.
   */
  rememberSignature(signatureHex: string, expiresAt: number, now: number): boolean {
    this.db.prepare('DELETE FROM seen_signatures WHERE expires_at < ?').run(now);
    const result = this.db
      .prepare('INSERT OR IGNORE INTO seen_signatures (signature, expires_at) VALUES (?, ?)')
      .run(signatureHex, expiresAt);
    return result.changes === 1;
  }

  insertRound(round: RoundRow): void {
    this.db
      .prepare(
        `INSERT INTO rounds (id, number, state, opened_at, deadline_at, model_path, model_sha256, model_bytes, outcome, closed_at)
         VALUES (@id, @number, @state, @openedAt, @deadlineAt, @modelPath, @modelSha256, @modelBytes, @outcome, @closedAt)`,
      )
      .run(round);
  }

  round(id: string): RoundRow | undefined {
    return this.db.prepare(`${roundSelect} WHERE id = ?`).get(id) as RoundRow | undefined;
  }

  latestRound(): RoundRow | undefined {
    return this.db.prepare(`${roundSelect} ORDER BY opened_at DESC, number DESC LIMIT 1`).get() as RoundRow | undefined;
  }

  rounds(): RoundRow[] {
    return this.db.prepare(`${roundSelect} ORDER BY opened_at`).all() as RoundRow[];
  }

  setRoundState(id: string, state: RoundState, outcome: string | null = null): void {
    const closedAt = state === 'closed' ? Date.now() : null;
    this.db
      .prepare('UPDATE rounds SET state = ?, outcome = COALESCE(?, outcome), closed_at = ? WHERE id = ?')
      .run(state, outcome, closedAt, id);
  }

  assignments(roundId: string): AssignmentRow[] {
    return this.db
      .prepare(
        'SELECT round_id AS roundId, participant_id AS participantId, status, reason FROM assignments WHERE round_id = ?',
      )
      .all(roundId) as AssignmentRow[];
  }

  setAssignment(
    roundId: string,
    participantId: string,
    status: AssignmentRow['status'],
    reason: string | null = null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO assignments (round_id, participant_id, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (round_id, participant_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, updated_at = excluded.updated_at`,
      )
      .run(roundId, participantId, status, reason, Date.now());
  }

  upload(uploadId: string): UploadRow | undefined {
    return this.db.prepare(`${uploadSelect} WHERE upload_id = ?`).get(uploadId) as UploadRow | undefined;
  }

  uploadFor(roundId: string, participantId: string): UploadRow | undefined {
    return this.db
      .prepare(`${uploadSelect} WHERE round_id = ? AND participant_id = ? ORDER BY receipt IS NULL LIMIT 1`)
      .get(roundId, participantId) as UploadRow | undefined;
  }

  committedUploads(roundId: string): UploadRow[] {
    return this.db
      .prepare(`${uploadSelect} WHERE round_id = ? AND receipt IS NOT NULL ORDER BY participant_id`)
      .all(roundId) as UploadRow[];
  }

  insertUpload(upload: Omit<UploadRow, 'receipt' | 'receivedBytes'>): void {
    this.db
      .prepare(
        `INSERT INTO uploads (upload_id, round_id, participant_id, total_bytes, sha256, num_examples, metrics, path)
         VALUES (@uploadId, @roundId, @participantId, @totalBytes, @sha256, @numExamples, @metrics, @path)`,
      )
      .run(upload);
  }

  setReceivedBytes(uploadId: string, receivedBytes: number): void {
    this.db.prepare('UPDATE uploads SET received_bytes = ? WHERE upload_id = ?').run(receivedBytes, uploadId);
  }

  deleteUpload(uploadId: string): void {
    this.db.prepare('DELETE FROM uploads WHERE upload_id = ?').run(uploadId);
  }

  /**
   * The upload's receipt and the participant's assignment change together, or not at all. False, with
   * nothing changed, when the participant already has a committed upload in the round: the unique index
   * on committed uploads refuses a second one.
   */
  commitUpload(upload: UploadRow, receiptJson: string, auditHead?: ReceiptAuditHead): boolean {
    try {
      this.db.transaction(() => {
        this.db
          .prepare('UPDATE uploads SET receipt = ?, audit_seq = ?, audit_hash = ? WHERE upload_id = ?')
          .run(receiptJson, auditHead?.auditSeq ?? null, auditHead?.auditHash ?? null, upload.uploadId);
        this.setAssignment(upload.roundId, upload.participantId, 'committed');
      })();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw error;
    }
  }

  /** The participant's receipts (JSON), every round, in the order their uploads began. */
  receiptsOf(participantId: string): string[] {
    const rows = this.db
      .prepare('SELECT receipt FROM uploads WHERE participant_id = ? AND receipt IS NOT NULL ORDER BY rowid')
      .all(participantId) as { receipt: string }[];
    return rows.map((row) => row.receipt);
  }

  checkpoint(roundNumber: number): CheckpointRow | undefined {
    return this.db
      .prepare(
        'SELECT round_number AS roundNumber, round_id AS roundId, path, sha256, bytes FROM checkpoints WHERE round_number = ?',
      )
      .get(roundNumber) as CheckpointRow | undefined;
  }

  /** Closes a round with its new global checkpoint and the strategy's state, then opens the next round. */
  finishRound(roundId: string, checkpoint: CheckpointRow, strategyState: string, next: RoundRow | undefined): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR REPLACE INTO checkpoints (round_number, round_id, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(
          checkpoint.roundNumber,
          checkpoint.roundId,
          checkpoint.path,
          checkpoint.sha256,
          checkpoint.bytes,
          Date.now(),
        );
      this.setSetting('strategy_state', strategyState);
      this.setRoundState(roundId, 'closed', 'aggregated');
      if (next) this.insertRound(next);
    })();
  }

  recordMetrics(roundId: string, participantId: string, metrics: Record<string, number>): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO round_metrics (round_id, participant_id, metrics, reported_at) VALUES (?, ?, ?, ?)',
      )
      .run(roundId, participantId, JSON.stringify(metrics), Date.now());
  }
}

const roundSelect = `SELECT id, number, state, opened_at AS openedAt, deadline_at AS deadlineAt, model_path AS modelPath,
  model_sha256 AS modelSha256, model_bytes AS modelBytes, outcome, closed_at AS closedAt FROM rounds`;
const uploadSelect = `SELECT upload_id AS uploadId, round_id AS roundId, participant_id AS participantId, total_bytes AS totalBytes,
  sha256, received_bytes AS receivedBytes, num_examples AS numExamples, metrics, path, receipt FROM uploads`;
