/**
 * Optional retention of the exact payloads sent, so an auditor can inspect what left (by the sha256 the
 * audit log names). Off by default: an update can be large, and some institutions prefer not to keep it.
 */
import type { SqliteDatabase } from '../store/participant-database.ts';

const settingKey = 'retain_payloads';

export function payloadRetentionEnabled(db: SqliteDatabase): boolean {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey) as { value: string } | undefined;
  return row?.value === 'on';
}

export function setPayloadRetention(db: SqliteDatabase, enabled: boolean): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(settingKey, enabled ? 'on' : 'off');
}

export function retainPayload(db: SqliteDatabase, sha256: string, bytes: Uint8Array): void {
  db.prepare('INSERT OR IGNORE INTO retained_payloads (sha256, bytes, retained_at) VALUES (?, ?, ?)').run(
    sha256,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    new Date().toISOString(),
  );
}

export function retainedPayload(db: SqliteDatabase, sha256: string): Uint8Array | undefined {
  const row = db.prepare('SELECT bytes FROM retained_payloads WHERE sha256 = ?').get(sha256) as
    { bytes: Buffer } | undefined;
  return row ? new Uint8Array(row.bytes) : undefined;
}
