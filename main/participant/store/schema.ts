/** The participant database's migrations, oldest first. Never edit a released one: add the next. */
import type { Migration } from './migrations.ts';

const immutable = (table: string) => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} entries are immutable'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} entries are immutable'); END;`;

const initial = `
  CREATE TABLE datasets (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, task TEXT NOT NULL, format TEXT NOT NULL,
    columns TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL, stats TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ready', 'changed', 'removed')),
    registered_at TEXT NOT NULL, confirmed_at TEXT NOT NULL);
  CREATE TABLE budgets (
    dataset_id TEXT PRIMARY KEY REFERENCES datasets(id),
    epsilon REAL NOT NULL CHECK (epsilon > 0), delta REAL NOT NULL CHECK (delta > 0 AND delta < 1),
    updated_at TEXT NOT NULL);
  CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id TEXT NOT NULL REFERENCES datasets(id),
    round_key TEXT NOT NULL, contribution_id TEXT NOT NULL, noise_multiplier REAL NOT NULL,
    sample_rate REAL NOT NULL, steps INTEGER NOT NULL, delta REAL NOT NULL, epsilon_round REAL NOT NULL,
    epsilon_before REAL NOT NULL, epsilon_after REAL NOT NULL, recorded_at TEXT NOT NULL,
    UNIQUE (dataset_id, round_key));
  ${immutable('ledger')}
  CREATE TABLE consent_policies (
    federation_id TEXT PRIMARY KEY, mode TEXT NOT NULL CHECK (mode IN ('ask', 'auto')),
    limits TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE contributions (
    id TEXT PRIMARY KEY, round_key TEXT NOT NULL UNIQUE, summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'expired')),
    decided_by TEXT, decided_at TEXT, comment TEXT, created_at TEXT NOT NULL);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
  ${immutable('audit')}
  CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
  CREATE TABLE retained_payloads (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL, retained_at TEXT NOT NULL);
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE rounds (
    round_key TEXT PRIMARY KEY, federation_id TEXT NOT NULL, round_id TEXT NOT NULL, task TEXT NOT NULL,
    state TEXT NOT NULL, reason TEXT, dataset_id TEXT REFERENCES datasets(id), contribution_id TEXT,
    upload_id TEXT, approved_sha256 TEXT, sent_sha256 TEXT, receipt TEXT, result TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE round_payloads (
    round_key TEXT NOT NULL REFERENCES rounds(round_key), kind TEXT NOT NULL CHECK (kind IN ('approved', 'sent')),
    sha256 TEXT NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (round_key, kind));
`;

const federations = `
  CREATE TABLE federations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, coordinator TEXT NOT NULL, participant_id TEXT NOT NULL,
    ca_certificate TEXT NOT NULL, public_key_sha256 TEXT NOT NULL, enrolled_at TEXT NOT NULL);
`;

// Each closed round keeps why it closed as one of the protocol's decline reasons. Rounds closed before this
// column existed get it from their 'round.closed' audit entry, or (rounds closed by a consent decision,
// which wrote no such entry) from their state and the decider named in their reason.
const roundDeclineReason = `
  ALTER TABLE rounds ADD COLUMN decline_reason TEXT CHECK (decline_reason IN
    ('consent_refused', 'budget_exhausted', 'dataset_unavailable', 'expired', 'failed'));
  UPDATE rounds SET decline_reason = COALESCE(
    (SELECT json_extract(audit.data, '$.declineReason') FROM audit
      WHERE audit.kind = 'round.closed' AND json_extract(audit.data, '$.roundKey') = rounds.round_key
      ORDER BY audit.seq DESC LIMIT 1),
    CASE state
      WHEN 'expired' THEN 'expired'
      WHEN 'failed' THEN 'failed'
      WHEN 'declined' THEN CASE WHEN reason LIKE 'declined by budget:%' THEN 'budget_exhausted' ELSE 'consent_refused' END
    END)
  WHERE state IN ('declined', 'expired', 'failed');
`;

/** A dataset file's modification time when it was confirmed: listing compares it (and the size) to the file's. */
const datasetFileMtime = `ALTER TABLE datasets ADD COLUMN file_mtime_ms REAL;`;

/** The client certificate a federation's coordinator asks for (mutual TLS); its key is in the keychain. */
const federationClientCertificate = `ALTER TABLE federations ADD COLUMN client_certificate TEXT;`;

/** Whether a federation's policy shares each round's evaluation metrics with the coordinator (default: share). */
const consentPolicyMetrics = `ALTER TABLE consent_policies ADD COLUMN metrics TEXT NOT NULL DEFAULT 'share'
  CHECK (metrics IN ('share', 'withhold'));`;
/**
 * Error feedback of compressed updates (rounds/error-feedback-store.ts): the residual each prepared round
 * would carry forward, with the model spec it belongs to; `sent` marks the one of the federation's last
 * receipted round, the residual its next round starts from.
 */
const errorFeedback = `
  CREATE TABLE error_feedback (
    round_key TEXT PRIMARY KEY REFERENCES rounds(round_key), federation_id TEXT NOT NULL,
    model_spec TEXT NOT NULL, residual BLOB NOT NULL, sent INTEGER NOT NULL DEFAULT 0 CHECK (sent IN (0, 1)),
    created_at TEXT NOT NULL);
  CREATE INDEX error_feedback_federation ON error_feedback (federation_id, sent);
`;

export const participantMigrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'federations', sql: federations },
  { version: 3, name: 'round decline reason', sql: roundDeclineReason },
  { version: 4, name: 'dataset file mtime', sql: datasetFileMtime },
  { version: 5, name: 'federation client certificate', sql: federationClientCertificate },
  { version: 6, name: 'consent policy metrics', sql: consentPolicyMetrics },
  { version: 7, name: 'error feedback', sql: errorFeedback },
];
