import { afterEach, describe, expect, it } from 'vitest';
import { AuditController, verificationText } from '../../../../renderer/src/views/audit/audit.svelte.ts';
import { auditFields, summarizeAuditEntry } from '../../../../renderer/src/views/audit/audit-entry-text.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

function openNode(): ParticipantNode {
  node = openParticipantNode({ home: tempDir('accord-ui-audit-') });
  return node;
}

describe('AuditController', () => {
  it('reads a log longer than one page, newest first, and filters by kind and date', async () => {
    const log = openNode();
    // 1,001 entries: more than the contract's 1,000 per call, so the controller must page.
    log.database.db.transaction(() => {
      for (let i = 0; i < 1000; i++) log.audit.append('policy', { federationId: `f${i}` });
      log.audit.append('budget', { datasetId: 'd', epsilon: 1, delta: 1e-5, by: 'me' });
    })();
    const audit = new AuditController(dispatchedApi(log));
    await audit.load();
    expect(audit.entries).toHaveLength(1001);
    expect(audit.filtered[0]?.kind).toBe('budget');
    expect(audit.kinds).toEqual(['budget', 'policy']);
    audit.kind = 'budget';
    expect(audit.filtered.map((entry) => entry.seq)).toEqual([1001]);
    const today = audit.entries[0]!.at.slice(0, 10);
    audit.kind = '';
    audit.to = '2000-01-01';
    expect(audit.filtered).toEqual([]);
    audit.clearFilters();
    audit.from = today;
    expect(audit.filtered).toHaveLength(1001);
  });

  it('names the entry where an altered log breaks', async () => {
    const log = openNode();
    for (let i = 0; i < 3; i++) log.audit.append('policy', { federationId: `f${i}` });
    const audit = new AuditController(dispatchedApi(log));
    await audit.verify();
    expect(verificationText(audit.verification!)).toBe(
      'The log is intact: all 3 entries verify. The OS keychain anchors all 3 entries.',
    );
    // An attacker with the database file can drop the triggers; the hash chain still tells.
    log.database.db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    log.database.db.prepare('UPDATE audit SET data = \'{"federationId":"forged"}\' WHERE seq = 2').run();
    await audit.verify();
    expect(audit.verification?.ok).toBe(false);
    expect(verificationText(audit.verification!)).toMatch(/^The log was altered at entry 2 \(changed\)/);
  });

  it('exports a file named by date for the person to save', async () => {
    const audit = new AuditController(dispatchedApi(openNode()));
    const saved: string[] = [];
    await audit.exportLog('html', (file) => saved.push(file.fileName));
    expect(saved[0]).toMatch(/^accord-audit-\d{4}-\d{2}-\d{2}\.html$/);
  });
});

describe('audit entries in words', () => {
  it('summarizes with units and lists fields without JSON punctuation', () => {
    expect(summarizeAuditEntry('ledger.debit', { roundKey: 'f/r1', epsilonRound: 0.5, epsilonAfter: 1.25 })).toBe(
      'ε 0.500 spent for f/r1, ε 1.250 in total',
    );
    expect(summarizeAuditEntry('upload', { roundKey: 'f/r1', bytes: 2048, sentSha256: 'ab'.repeat(32) })).toContain(
      'Sent 2.00 KB',
    );
    const fields = auditFields({ bytes: 3 * 1024 * 1024, receipt: { uploadId: 'u1', bytes: 10 }, tags: ['a', 'b'] });
    expect(fields).toEqual([
      { label: 'Size', value: '3.00 MB' },
      { label: 'Receipt', value: 'uploadId u1, bytes 10 B' },
      { label: 'Tags', value: 'a, b' },
    ]);
    for (const field of fields) expect(field.value).not.toMatch(/[{}"]/);
  });
});
