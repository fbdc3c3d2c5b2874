/**
 * `accord participant …` for servers: datasets, budgets, consent policies, pending approvals and the audit log,
 * all against the participant database in ACCORD_HOME (or the OS application-data folder).
 */
import { openParticipantNode, type ParticipantNode } from '../../main/participant/participant-node.ts';
import { runAuditCommand } from './audit-commands.ts';
import { runApprovalCommand, runPolicyCommand } from './consent-commands.ts';
import { runBudgetCommand, runDatasetCommand } from './dataset-commands.ts';
import type { Output } from './command-args.ts';

export type CommandHandler = (node: ParticipantNode, argv: string[], out: Output) => Promise<number>;

const handlers: Record<string, CommandHandler> = {
  datasets: runDatasetCommand,
  budget: runBudgetCommand,
  policy: runPolicyCommand,
  pending: (node, argv, out) => runApprovalCommand(node, ['pending', ...argv], out),
  approve: (node, argv, out) => runApprovalCommand(node, ['approve', ...argv], out),
  decline: (node, argv, out) => runApprovalCommand(node, ['decline', ...argv], out),
  audit: runAuditCommand,
  rounds: async (node, argv, out) => {
    const rounds = node.rounds.list();
    if (argv.includes('--json')) out(JSON.stringify(rounds, null, 2));
    else if (rounds.length === 0) out('no rounds yet');
    else for (const r of rounds) out(`${r.roundKey}  ${r.state}  ${r.updatedAt}${r.reason ? `  (${r.reason})` : ''}`);
    return 0;
  },
  backup: async (node, argv, out) => {
    if (!argv[0]) throw new Error('usage: accord participant backup FILE');
    await node.database.backup(argv[0]);
    out(`backed up ${node.database.file} to ${argv[0]}`);
    return 0;
  },
};

export const participantUsage = `usage: accord participant <command>
  serve [--port N]                                   the UI and API on 127.0.0.1
  datasets add --name N --path FILE --task T --format csv|tsv|jsonl --column ROLE=COLUMN…
  datasets list [--json] | remove ID | reconfirm ID
  budget set DATASET --epsilon E --delta D | budget show DATASET [--json]
  policy show FEDERATION | policy set FEDERATION --mode ask|auto [--max-epsilon E] [--max-norm N] [--dataset ID…] [--hours FROM-TO]
  pending [--json] | approve ID [--comment TEXT] | decline ID [--comment TEXT]
  rounds [--json]                                    every round, its state and the reason it ended
  backup FILE                                        an online copy of the participant database
  audit verify | audit export [--json FILE] [--html FILE] | audit retain on|off | audit payload SHA256 --out FILE`;

/** Runs one command; returns the process exit code (1 when the audit does not verify). */
export async function runParticipantCommand(
  argv: string[],
  out: Output = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const [command, ...rest] = argv;
  const handler = handlers[command ?? ''];
  if (!handler) throw new Error(`unknown participant command "${command ?? ''}"\n${participantUsage}`);
  const node = openParticipantNode();
  try {
    return await handler(node, rest, out);
  } finally {
    node.close();
  }
}
