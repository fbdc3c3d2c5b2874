import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoordinatorStore } from '../../../coordinator/store/coordinator-store.ts';
import { schemaVersion } from '../../../coordinator/store/migrations.ts';
import { coordinatorMigrations } from '../../../coordinator/store/schema.ts';

const round = {
  id: 'round-1',
  number: 1,
  state: 'collecting' as const,
  openedAt: 1,
  deadlineAt: 2,
  modelPath: 'model.safetensors',
  modelSha256: 'ab'.repeat(32),
  modelBytes: 32,
  outcome: null,
  closedAt: null,
};

const upload = (uploadId: string) => ({
  uploadId,
  roundId: round.id,
  participantId: 'p-1',
  totalBytes: 32,
  sha256: 'cd'.repeat(32),
  numExamples: 3,
  metrics: '{}',
  path: `${uploadId}.part`,
});

/** A database as a coordinator without schema versions wrote it, holding one participant's update twice. */
function writeUnversionedDatabase(path: string): void {
  const db = new Database(path);
  db.exec(coordinatorMigrations[0]!.sql);
  db.prepare("INSERT INTO participants VALUES ('p-1', x'01', 'one', 'now')").run();
  db.prepare(
    "INSERT INTO rounds (id, number, state, opened_at, deadline_at, model_path, model_sha256, model_bytes) VALUES ('round-1', 1, 'collecting', 1, 2, 'm', 'h', 32)",
  ).run();
  for (const id of ['first-commit', 'second-commit']) {
    db.prepare(
      `INSERT INTO uploads (upload_id, round_id, participant_id, total_bytes, sha256, num_examples, metrics, path, receipt)
       VALUES (?, 'round-1', 'p-1', 32, 'h', 3, '{}', 'x', '{"receipt":true}')`,
    ).run(id);
  }
  db.close();
}

describe('the coordinator store', () => {
  it('brings an unversioned database up to date, keeping the first of a participant’s two committed updates', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'accord-coordinator-store-')), 'coordinator.db');
    writeUnversionedDatabase(path);
    const store = new CoordinatorStore(path);
    expect(schemaVersion(store.db)).toBe(Math.max(...coordinatorMigrations.map((m) => m.version)));
    expect(store.committedUploads('round-1').map((row) => row.uploadId)).toEqual(['first-commit']);
    // Receipts committed before audit heads were signed are still listed for their participant, without one.
    expect(store.receiptsOf('p-1')).toEqual(['{"receipt":true}']);
    expect(store.receiptsOf('p-2')).toEqual([]);
    expect(store.db.prepare('SELECT audit_seq, audit_hash FROM uploads').all()).toEqual([
      { audit_seq: null, audit_hash: null },
    ]);
    store.close();
  });

  it('refuses, in the database itself, a second committed update of one participant in one round', () => {
    const store = new CoordinatorStore(join(mkdtempSync(join(tmpdir(), 'accord-coordinator-store-')), 'c.db'));
    store.db.prepare("INSERT INTO participants VALUES ('p-1', x'01', 'one', 'now')").run();
    store.insertRound(round);
    store.insertUpload(upload('one'));
    store.insertUpload(upload('two'));
    expect(store.commitUpload(store.upload('one')!, '{"receipt":1}')).toBe(true);
    expect(store.commitUpload(store.upload('two')!, '{"receipt":2}')).toBe(false);
    expect(store.upload('two')!.receipt).toBeNull();
    expect(() => store.db.prepare("UPDATE uploads SET receipt = 'forced' WHERE upload_id = 'two'").run()).toThrow(
      /UNIQUE constraint failed/,
    );
    expect(store.committedUploads('round-1').map((row) => row.uploadId)).toEqual(['one']);
    store.close();
  });

  it('remembers a signature once, by its bytes', () => {
    const store = new CoordinatorStore(join(mkdtempSync(join(tmpdir(), 'accord-coordinator-store-')), 'c.db'));
    const signatureHex = 'ef'.repeat(64);
    expect(store.rememberSignature(signatureHex, 2_000, 1_000)).toBe(true);
    expect(store.rememberSignature(signatureHex, 2_000, 1_500)).toBe(false);
    // Pruned once expired: by then the timestamp check refuses the request anyway.
    expect(store.rememberSignature(signatureHex, 4_000, 3_000)).toBe(true);
    store.close();
  });
});
