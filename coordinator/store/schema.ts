/** The coordinator's SQLite schema. Every table a restarted coordinator needs to continue a round. */
export const coordinatorSchema = `
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
`;
