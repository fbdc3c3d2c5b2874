import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditLog, genesisHash } from '../../../../main/participant/audit/audit-log.ts';
import { verifyAuditEntries } from '../../../../main/participant/audit/audit-verify.ts';
import { canonicalJson } from '../../../../main/participant/audit/canonical-json.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

function logWith(count: number) {
  const store = openParticipantDatabase(tempDir());
  const log = new AuditLog(store.db);
  for (let i = 1; i <= count; i++) log.append('decision', { index: i, note: `entry ${i}` });
  return { store, log };
}

/** Lets a test tamper as an attacker with the file would: the triggers go first. */
function dropGuards(log: AuditLog) {
  log.db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });
});

describe('AuditLog', () => {
  it('chains each entry to the previous one with sha256(previous hash + canonical JSON)', () => {
    const { log } = logWith(3);
    const entries = log.entries();
    expect(entries[0]?.prevHash).toBe(genesisHash);
    for (const [i, entry] of entries.entries()) {
      const body = `{"at":${JSON.stringify(entry.at)},"data":{"index":${i + 1},"note":"entry ${i + 1}"},"kind":"decision","seq":${i + 1}}`;
      expect(entry.hash).toBe(
        createHash('sha256')
          .update(entry.prevHash + body)
          .digest('hex'),
      );
      if (i > 0) expect(entry.prevHash).toBe(entries[i - 1]?.hash);
    }
    expect(verifyAuditEntries(entries, log.head())).toMatchObject({ ok: true, entries: 3, problems: [] });
  });

  it('refuses UPDATE and DELETE through SQLite itself (append-only)', () => {
    const { log } = logWith(2);
    expect(() => log.db.prepare("UPDATE audit SET kind = 'x' WHERE seq = 1").run()).toThrow(/immutable/);
    expect(() => log.db.prepare('DELETE FROM audit WHERE seq = 2').run()).toThrow(/immutable/);
  });

  it('an append rolled back with its transaction leaves no entry and no gap', () => {
    const { log } = logWith(1);
    expect(() =>
      log.db.transaction(() => {
        log.append('decision', { doomed: true });
        throw new Error('rollback');
      })(),
    ).toThrow('rollback');
    log.append('decision', { after: true });
    expect(log.entries().map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyAuditEntries(log.entries(), log.head()).ok).toBe(true);
  });

  it('names an edited entry', () => {
    const { log } = logWith(5);
    dropGuards(log);
    log.db.prepare(`UPDATE audit SET data = '{"index":3,"note":"forged"}' WHERE seq = 3`).run();
    const result = verifyAuditEntries(log.entries(), log.head());
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 3, problem: 'changed' })]);
    expect(result.problems[0]?.message).toMatch(/entry 3 .*changed/);
  });

  it('names a removed entry', () => {
    const { log } = logWith(5);
    dropGuards(log);
    log.db.prepare('DELETE FROM audit WHERE seq = 2').run();
    const result = verifyAuditEntries(log.entries(), log.head());
    expect(result.problems).toEqual([expect.objectContaining({ seq: 2, problem: 'removed' })]);
  });

  it('names reordered entries', () => {
    const { log } = logWith(5);
    dropGuards(log);
    log.db.exec(
      'UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;',
    );
    const result = verifyAuditEntries(log.entries(), log.head());
    expect(result.problems.map((p) => [p.seq, p.problem])).toEqual([
      [2, 'reordered'],
      [3, 'reordered'],
      [4, 'reordered'],
      [5, 'reordered'],
    ]);
  });

  it('notices a cut tail against the recorded head', () => {
    const { log } = logWith(4);
    dropGuards(log);
    log.db.prepare('DELETE FROM audit WHERE seq = 4').run();
    const result = verifyAuditEntries(log.entries(), log.head());
    expect(result.problems).toEqual([expect.objectContaining({ seq: 4, problem: 'truncated' })]);
  });

  it('a durable append commits with synchronous=FULL and restores the previous setting', () => {
    const { log } = logWith(0);
    log.db.pragma('synchronous = NORMAL');
    let during = -1;
    const original = log.append.bind(log);
    log.append = (kind, data) => {
      during = log.db.pragma('synchronous', { simple: true }) as number;
      return original(kind, data);
    };
    log.appendDurably('upload.intent', { sha256: 'a' });
    expect(during).toBe(2);
    expect(log.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});
