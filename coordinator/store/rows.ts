/** Rows of the coordinator's store, as the rest of the coordinator sees them. */
export type RoundState = 'open' | 'collecting' | 'aggregating' | 'closed';

export interface ParticipantRow {
  readonly id: string;
  readonly publicKey: Buffer;
  readonly displayName: string;
  readonly enrolledAt: string;
}

export interface RoundRow {
  readonly id: string;
  readonly number: number;
  readonly state: RoundState;
  readonly openedAt: number;
  readonly deadlineAt: number;
  readonly modelPath: string;
  readonly modelSha256: string;
  readonly modelBytes: number;
  readonly outcome: string | null;
  readonly closedAt: number | null;
}

export interface AssignmentRow {
  readonly roundId: string;
  readonly participantId: string;
  readonly status: 'assigned' | 'declined' | 'committed';
  readonly reason: string | null;
}

export interface UploadRow {
  readonly uploadId: string;
  readonly roundId: string;
  readonly participantId: string;
  readonly totalBytes: number;
  readonly sha256: string;
  readonly receivedBytes: number;
  readonly numExamples: number;
  /** JSON object of metric name → value. */
  readonly metrics: string;
  readonly path: string;
  /** JSON of the signed receipt once committed. */
  readonly receipt: string | null;
}

export interface CheckpointRow {
  readonly roundNumber: number;
  readonly roundId: string | null;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The participant's audit entry that a receipt signs (see the CommitUpload request). */
export interface ReceiptAuditHead {
  readonly auditSeq: number;
  readonly auditHash: string;
}
