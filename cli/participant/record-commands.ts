/** `accord participant rounds | backup`: what the node's database records, and an online copy of it. */
import { parseCommandLine } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { withParticipantNode } from './with-participant-node.ts';

export async function listRounds(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { json: { type: 'boolean' } });
  const rounds = await withParticipantNode((node) => node.rounds.list());
  if (values.json) printLine(JSON.stringify(rounds, null, 2));
  else if (rounds.length === 0) printLine('no rounds yet');
  else
    for (const r of rounds) printLine(`${r.roundKey}  ${r.state}  ${r.updatedAt}${r.reason ? `  (${r.reason})` : ''}`);
}

export async function backupDatabase(argv: string[]): Promise<void> {
  const [file = ''] = parseCommandLine(argv, {}, ['FILE']).positionals;
  const source = await withParticipantNode(async (node) => (await node.database.backup(file), node.database.file));
  printLine(`backed up ${source} to ${file}`);
}
