/** `accord participant audit verify | export | retain | payload`: exit 1 when the chain does not verify, every bad entry named. */
import { writeFileSync } from 'node:fs';
import { auditToHtml, auditToJson } from '../../main/participant/audit/audit-export.ts';
import { retainedPayload } from '../../main/participant/audit/payload-retention.ts';
import { writeWorkstationSettings } from '../../main/participant/settings/workstation-settings.ts';
import { fetchReceiptsOnce } from '../../main/participant/participation/receipt-fetch.ts';
import { parseCommandLine, requiredOption } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { withParticipantNode } from './with-participant-node.ts';

export async function verifyAudit(argv: string[]): Promise<number> {
  parseCommandLine(argv, {});
  // The coordinators' receipts witness the entries up to each upload; export checks the local chain only.
  const verification = await withParticipantNode(async (node) => node.verifyAudit(await fetchReceiptsOnce(node)));
  if (verification.ok) printLine(`audit log verified: ${verification.entries} entries, chain intact`);
  else {
    printLine(
      `audit log FAILED verification (${verification.problems.length} problem(s) in ${verification.entries} entries):`,
    );
    for (const problem of verification.problems) printLine(`  ${problem.message}`);
  }
  printLine(verification.coverage);
  printLine(verification.witness);
  return verification.ok ? 0 : 1;
}

export async function exportAudit(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { json: { type: 'string' }, html: { type: 'string' } });
  if (!values.json && !values.html) throw new UsageError('audit export needs --json FILE and/or --html FILE');
  const { entries, verification } = await withParticipantNode(async (node) => ({
    verification: await node.verifyAudit(),
    entries: node.audit.entries(),
  }));
  if (values.json) writeFileSync(values.json, JSON.stringify(auditToJson(entries, verification), null, 2));
  if (values.html) writeFileSync(values.html, auditToHtml(entries, verification));
  printLine(`exported ${entries.length} entries${verification.ok ? '' : ' (verification FAILED: see the report)'}`);
  return verification.ok ? 0 : 1;
}

export async function retainPayloads(argv: string[]): Promise<void> {
  const [setting] = parseCommandLine(argv, {}, ['on|off']).positionals;
  if (setting !== 'on' && setting !== 'off') throw new UsageError(`expected on or off, got "${setting}"`);
  await withParticipantNode((node) =>
    writeWorkstationSettings(node.database.db, { retainPayloads: setting === 'on' }, node.policy),
  );
  printLine(`retention of sent payloads is ${setting} (applies to uploads from the next start)`);
}

export async function writePayload(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' } }, ['SHA256']);
  const sha256 = positionals[0] ?? '';
  const out = requiredOption(values.out, 'out');
  const bytes = await withParticipantNode((node) => retainedPayload(node.database.db, sha256));
  if (!bytes)
    throw new Error(`no retained payload with sha256 ${sha256} (is retention on? accord participant audit retain on)`);
  writeFileSync(out, bytes);
  printLine(`wrote ${bytes.byteLength} bytes to ${out}`);
}
