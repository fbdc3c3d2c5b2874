import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../main/participant/audit/audit-log.ts';
import { auditToHtml, auditToJson } from '../../../../main/participant/audit/audit-export.ts';
import { entryHash } from '../../../../main/participant/audit/audit-log.ts';
import { verifyAuditEntries } from '../../../../main/participant/audit/audit-verify.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { tempDir } from '../../../support/participant-fixtures.ts';

describe('audit export', () => {
  const store = openParticipantDatabase(tempDir());
  const log = new AuditLog(store.db);
  log.append('dataset', { name: '<script>alert(1)</script>', path: '/data/a&b.csv' });
  log.append('decision', { decision: 'approved', by: 'ada' });

  it('writes JSON from which anyone can re-verify the chain', () => {
    const exported = JSON.parse(
      JSON.stringify(auditToJson(log.entries(), verifyAuditEntries(log.entries()))),
    ) as ReturnType<typeof auditToJson>;
    for (const entry of exported.entries) expect(entryHash(entry.prevHash, entry)).toBe(entry.hash);
    expect(verifyAuditEntries(exported.entries).ok).toBe(true);
  });

  it('writes HTML that escapes every value and loads nothing from outside', () => {
    const html = auditToHtml(log.entries(), verifyAuditEntries(log.entries()));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('/data/a&amp;b.csv');
    expect(html).toMatch(/default-src 'none'/);
    expect(html).toContain('The chain of 2 entries verifies');
  });

  it('flags the entries that failed verification in the report', () => {
    const entries = log.entries();
    const forged = entries.map((e, i) => (i === 1 ? { ...e, data: { decision: 'declined', by: 'ada' } } : e));
    const html = auditToHtml(forged, verifyAuditEntries(forged));
    expect(html).toContain('Verification FAILED');
    expect(html).toContain('entry 2 (decision) was changed');
  });
});
