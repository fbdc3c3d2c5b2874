/** `accord participant audit verify | export`: exit code 1 when the chain does not verify, every bad entry named. */
import { writeFileSync } from 'node:fs';
import { auditToHtml, auditToJson } from '../../main/participant/audit/audit-export.ts';
import { retainedPayload, setPayloadRetention } from '../../main/participant/audit/payload-retention.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import { fetchReceiptsOnce } from '../../main/participant/participation/receipt-fetch.ts';
import { parseCommand, type Output } from './command-args.ts';

export async function runAuditCommand(node: ParticipantNode, argv: string[], out: Output): Promise<number> {
  const [action, ...rest] = argv;
  // Only `verify` asks the coordinators for their receipts; the other actions stay local.
  const verification = await node.verifyAudit(action === 'verify' ? await fetchReceiptsOnce(node) : undefined);
  if (action === 'verify') {
    if (verification.ok) out(`audit log verified: ${verification.entries} entries, chain intact`);
    else {
      out(
        `audit log FAILED verification (${verification.problems.length} problem(s) in ${verification.entries} entries):`,
      );
      for (const problem of verification.problems) out(`  ${problem.message}`);
    }
    out(verification.coverage);
    out(verification.witness);
    return verification.ok ? 0 : 1;
  }
  if (action === 'export') {
    const { values } = parseCommand(rest, { json: { type: 'string' }, html: { type: 'string' } });
    if (!values.json && !values.html) throw new Error('audit export needs --json FILE and/or --html FILE');
    const entries = node.audit.entries();
    if (values.json) writeFileSync(values.json, JSON.stringify(auditToJson(entries, verification), null, 2));
    if (values.html) writeFileSync(values.html, auditToHtml(entries, verification));
    out(`exported ${entries.length} entries${verification.ok ? '' : ' (verification FAILED: see the report)'}`);
    return verification.ok ? 0 : 1;
  }
  if (action === 'retain' && (rest[0] === 'on' || rest[0] === 'off')) {
    setPayloadRetention(node.database.db, rest[0] === 'on');
    out(`retention of sent payloads is ${rest[0]} (applies to uploads from the next start)`);
    return 0;
  }
  if (action === 'payload' && rest[0]) {
    const { values } = parseCommand(rest.slice(1), { out: { type: 'string' } });
    const bytes = retainedPayload(node.database.db, rest[0]);
    if (!bytes)
      throw new Error(
        `no retained payload with sha256 ${rest[0]} (is retention on? accord participant audit retain on)`,
      );
    if (!values.out) throw new Error('audit payload SHA256 needs --out FILE');
    writeFileSync(values.out, bytes);
    out(`wrote ${bytes.byteLength} bytes to ${values.out}`);
    return 0;
  }
  throw new Error(
    'usage: accord participant audit verify | export [--json FILE] [--html FILE] | retain on|off | payload SHA256 --out FILE',
  );
}
