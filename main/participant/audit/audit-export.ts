/**
 * Exports the audit log as JSON (machine-checkable: every field needed to re-verify the chain) and as
 * one self-contained HTML page (no scripts, no external resources) that a data protection officer can read.
 */
import type { AuditEntry } from './audit-log.ts';
import type { AuditVerification } from './audit-verify.ts';

export interface AuditExport {
  readonly format: 'accord.audit.v1';
  readonly exportedAt: string;
  readonly hashing: string;
  readonly verification: AuditVerification;
  readonly entries: readonly AuditEntry[];
}

export function auditToJson(entries: readonly AuditEntry[], verification: AuditVerification): AuditExport {
  return {
    format: 'accord.audit.v1',
    exportedAt: new Date().toISOString(),
    hashing: 'hash = sha256(prevHash + canonicalJson({seq, at, kind, data})), keys sorted, no whitespace',
    verification,
    entries,
  };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

function describe(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(
      ([key, value]) =>
        `<div><b>${escapeHtml(key)}</b>: ${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</div>`,
    )
    .join('');
}

function row(entry: AuditEntry, flagged: Set<number>): string {
  const cls = flagged.has(entry.seq) ? ' class="bad"' : '';
  return `<tr${cls}><td>${entry.seq}</td><td>${escapeHtml(entry.at)}</td><td>${escapeHtml(entry.kind)}</td><td>${describe(entry.data)}</td><td><code>${entry.hash.slice(0, 16)}…</code></td></tr>`;
}

export function auditToHtml(entries: readonly AuditEntry[], verification: AuditVerification): string {
  const flagged = new Set(verification.problems.map((p) => p.seq));
  const status = verification.ok
    ? `<p class="ok">The chain of ${verification.entries} entries verifies: no entry was changed, removed or reordered.</p>`
    : `<div class="bad"><p>Verification FAILED:</p><ul>${verification.problems.map((p) => `<li>${escapeHtml(p.message)}</li>`).join('')}</ul></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Accord audit report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
.ok{color:#075e07}.bad{background:#fde8e8;color:#8a1111}code{font-size:12px}</style></head>
<body><h1>Accord audit report</h1><p>Exported ${escapeHtml(new Date().toISOString())}.</p>${status}
<table><thead><tr><th>#</th><th>when</th><th>what</th><th>details</th><th>hash</th></tr></thead>
<tbody>${entries.map((entry) => row(entry, flagged)).join('\n')}</tbody></table></body></html>
`;
}
