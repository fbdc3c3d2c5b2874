/** `accord participant support-bundle --out FILE`: the node's state for support, secrets and dataset values left out. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectSupportBundle } from '../../main/participant/support/support-bundle.ts';
import { parseCommandLine, requiredOption } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { withParticipantNode } from './with-participant-node.ts';

export async function writeSupportBundle(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { out: { type: 'string' } });
  const out = resolve(requiredOption(values.out, 'out'));
  const bundle = await withParticipantNode((node) => collectSupportBundle(node));
  writeFileSync(out, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
  const database = bundle.database as { ok: boolean; integrityCheck: string[] };
  const audit = bundle.audit as { ok: boolean };
  printLine(`wrote ${out}`);
  printLine(`database integrity: ${database.ok ? 'ok' : database.integrityCheck.join('; ')}`);
  printLine(`audit log: ${audit.ok ? 'verifies' : 'does NOT verify (see "audit" in the bundle)'}`);
}
