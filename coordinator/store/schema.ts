/**
 * The coordinator's SQLite schema as migrations, oldest first. Never edit a released one: add the next.
 * Every table a restarted coordinator needs to continue a round.
 */
import type { Migration } from './migrations.ts';

/** Written with IF NOT EXISTS: databases made before versioning already hold these tables. */
const initialSchema = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invitations (
  token_sha256 TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  used_by TEXT
);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY,
  public_key BLOB NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  enrolled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rounds (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'collecting', 'aggregating', 'closed')),
  opened_at INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL,
  model_path TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  model_bytes INTEGER NOT NULL,
  outcome TEXT,
  closed_at INTEGER
);
CREATE TABLE IF NOT EXISTS assignments (
  round_id TEXT NOT NULL REFERENCES rounds(id),
  participant_id TEXT NOT NULL REFERENCES participants(id),
  status TEXT NOT NULL CHECK (status IN ('assigned', 'declined', 'committed')),
  reason TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (round_id, participant_id)
);
CREATE TABLE IF NOT EXISTS uploads (
  upload_id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL REFERENCES rounds(id),
  participant_id TEXT NOT NULL REFERENCES participants(id),
  total_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  received_bytes INTEGER NOT NULL DEFAULT 0,
  num_examples INTEGER NOT NULL,
  metrics TEXT NOT NULL,
  path TEXT NOT NULL,
  receipt TEXT
);
CREATE INDEX IF NOT EXISTS uploads_by_round ON uploads (round_id, participant_id);
CREATE TABLE IF NOT EXISTS checkpoints (
  round_number INTEGER PRIMARY KEY,
  round_id TEXT,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS round_metrics (
  round_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  metrics TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  PRIMARY KEY (round_id, participant_id)
);
CREATE TABLE IF NOT EXISTS seen_signatures (signature TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS seen_signatures_by_expiry ON seen_signatures (expires_at);
`;

/**
 * One committed update per participant per round, held by the database itself. A database that
 * already counted a participant twice keeps its first committed upload of the round, the earliest row.
 */
const oneCommittedUploadPerParticipant = `
DELETE FROM uploads WHERE receipt IS NOT NULL AND rowid NOT IN (
  SELECT MIN(rowid) FROM uploads WHERE receipt IS NOT NULL GROUP BY round_id, participant_id);
CREATE UNIQUE INDEX uploads_one_committed_per_participant ON uploads (round_id, participant_id)
  WHERE receipt IS NOT NULL;
`;

/**
 * Seen signatures are now kept as their bytes in hex, not as the text that carried them. The entries of
 * the old form are dropped: each was signed without a nonce, so it can no longer verify anyway.
 */
const signaturesByBytes = `DELETE FROM seen_signatures;`;

/**
 * The participant's audit head that each committed receipt signs, beside the receipt, so the receipts
 * that witness a participant's log can be listed without parsing every receipt.
 */
const receiptAuditHeads = `
ALTER TABLE uploads ADD COLUMN audit_seq INTEGER;
ALTER TABLE uploads ADD COLUMN audit_hash TEXT;
CREATE INDEX uploads_committed_by_participant ON uploads (participant_id) WHERE receipt IS NOT NULL;
`;

/**
 * Federated evaluation: one value per round, task, site (a participant's id, or "coordinator" for its own
 * test set) and metric, so curves per task and per site are plain queries. round_metrics keeps each raw report.
 */
const evaluationMetrics = `
CREATE TABLE evaluation_metrics (
  round_id TEXT NOT NULL REFERENCES rounds(id),
  task TEXT NOT NULL,
  site TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  reported_at INTEGER NOT NULL,
  PRIMARY KEY (round_id, task, site, metric)
);
`;

export const coordinatorMigrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: initialSchema },
  { version: 2, name: 'one committed upload per participant per round', sql: oneCommittedUploadPerParticipant },
  { version: 3, name: 'seen signatures kept as bytes', sql: signaturesByBytes },
  { version: 4, name: 'audit heads signed into receipts', sql: receiptAuditHeads },
  { version: 5, name: 'evaluation metrics per round, task and site', sql: evaluationMetrics },
];
