import { describe, expect, it } from 'vitest';
import { entryHash, type AuditEntry } from '../../../../main/participant/audit/audit-log.ts';
import { verifyAuditEntries } from '../../../../main/participant/audit/audit-verify.ts';
import { auditAnchorAccount } from '../../../../main/participant/audit/audit-anchor.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

function nodeWithEntries(home: string, count: number): ParticipantNode {
  const node = openParticipantNode({ home });
  for (let i = 1; i <= count; i += 1) node.audit.append('policy', { change: i });
  return node;
}

/** Someone with write access to the database file (and none to the keychain) drops the guards first. */
function dropGuards(node: ParticipantNode): void {
  node.database.db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
}

function deleteNewestEntries(node: ParticipantNode, keep: number): void {
  const { db } = node.database;
  dropGuards(node);
  db.prepare('DELETE FROM audit WHERE seq > ?').run(keep);
  const last = db.prepare('SELECT seq, hash FROM audit WHERE seq = ?').get(keep) as { seq: number; hash: string };
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(last.seq, last.hash);
}

/** Edits one entry and recomputes every hash after it and the head, so the chain agrees with itself again. */
function rewriteEntry(node: ParticipantNode, seq: number, data: Record<string, unknown>): void {
  const { db } = node.database;
  dropGuards(node);
  let prevHash = (db.prepare('SELECT prev_hash FROM audit WHERE seq = ?').get(seq) as { prev_hash: string }).prev_hash;
  for (const entry of node.audit.entries().filter((e) => e.seq >= seq)) {
    const changed: AuditEntry = { ...entry, data: entry.seq === seq ? data : entry.data, prevHash };
    const hash = entryHash(prevHash, changed);
    db.prepare('UPDATE audit SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
      JSON.stringify(changed.data),
      prevHash,
      hash,
      entry.seq,
    );
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(entry.seq, hash);
    prevHash = hash;
  }
}

describe('the audit anchor in the OS keychain', () => {
  it('anchors every committed entry, and a later process on the same folder reads it', async () => {
    const home = tempDir();
    const node = nodeWithEntries(home, 4);
    expect(await node.verifyAudit()).toMatchObject({ ok: true, anchoredSeq: 4 });
    node.close();
    const reopened = openParticipantNode({ home });
    const verification = await reopened.verifyAudit();
    expect(verification).toMatchObject({ ok: true, entries: 4, anchoredSeq: 4 });
    expect(verification.coverage).toContain('anchors all 4 entries');
    reopened.close();
  });

  it('finds the newest entries deleted and the head moved back, which the chain alone cannot see', async () => {
    const node = nodeWithEntries(tempDir(), 5);
    await node.verifyAudit();
    deleteNewestEntries(node, 3);
    expect(verifyAuditEntries(node.audit.entries(), node.audit.head()).ok).toBe(true);

    const verification = await node.verifyAudit();
    expect(verification.ok).toBe(false);
    expect(verification.problems.map((p) => [p.seq, p.problem])).toEqual([
      [4, 'truncated'],
      [5, 'truncated'],
    ]);
    node.close();
  });

  it('finds an entry rewritten with every later hash recomputed', async () => {
    const node = nodeWithEntries(tempDir(), 4);
    await node.verifyAudit();
    rewriteEntry(node, 2, { change: 'something else' });
    expect(verifyAuditEntries(node.audit.entries(), node.audit.head()).ok).toBe(true);

    const verification = await node.verifyAudit();
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual([expect.objectContaining({ seq: 4, problem: 'changed' })]);
    node.close();
  });

  it('says what it cannot prove when the keychain holds no anchor for the folder', async () => {
    const home = tempDir();
    const node = nodeWithEntries(home, 2);
    await node.verifyAudit();
    expect(await node.credentials.delete(auditAnchorAccount(home))).toBe(true);
    const verification = await node.verifyAudit();
    expect(verification).toMatchObject({ ok: true, anchoredSeq: null });
    expect(verification.coverage).toContain('cannot be detected');
    node.close();
  });

  it('never moves the anchor back', async () => {
    const home = tempDir();
    const node = nodeWithEntries(home, 3);
    await node.verifyAudit();
    deleteNewestEntries(node, 1);
    node.audit.append('policy', { change: 'after the cut' });
    const verification = await node.verifyAudit();
    expect(verification.anchoredSeq).toBe(3);
    expect(verification.ok).toBe(false);
    node.close();
  });
});
