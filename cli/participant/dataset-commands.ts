/** `accord participant datasets …` and `budget …`. */
import { budgetStatus } from '../../main/participant/api/participant-methods.ts';
import type { DatasetFormat } from '../../main/participant/datasets/dataset-validation.ts';
import { currentUser } from '../../main/participant/consent/consent-desk.ts';
import type { ParticipantNode } from '../../main/participant/participant-node.ts';
import { parseCommand, requireNumber, type Output } from './command-args.ts';

function parseColumns(pairs: string[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const pair of pairs) {
    const [role, column] = pair.split('=');
    if (!role || !column) throw new Error(`--column expects ROLE=COLUMN (e.g. text=review), got "${pair}"`);
    columns[role] = column;
  }
  return columns;
}

export async function runDatasetCommand(node: ParticipantNode, argv: string[], out: Output): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommand(rest, {
    name: { type: 'string' },
    path: { type: 'string' },
    task: { type: 'string' },
    format: { type: 'string' },
    column: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (action === 'add') {
    const dataset = await node.datasets.register({
      name: values.name ?? '',
      path: values.path ?? '',
      task: values.task ?? '',
      format: (values.format ?? 'csv') as DatasetFormat,
      columns: parseColumns(values.column ?? []),
    });
    out(`registered ${dataset.id}  ${dataset.name}  ${dataset.stats.rows} rows  sha256 ${dataset.sha256}`);
  } else if (action === 'list') {
    const datasets = await node.datasets.listChecked();
    if (values.json) out(JSON.stringify(datasets, null, 2));
    else
      for (const d of datasets)
        out(`${d.id}  ${d.status.padEnd(7)}  ${d.name}  ${d.task}  ${d.stats.rows} rows  ${d.path}`);
  } else if (action === 'remove' && positionals[0]) {
    node.datasets.remove(positionals[0]);
    out(`removed ${positionals[0]}`);
  } else if (action === 'reconfirm' && positionals[0]) {
    const dataset = await node.datasets.reconfirm(positionals[0]);
    out(`re-confirmed ${dataset.id}  sha256 ${dataset.sha256}`);
  } else {
    throw new Error('usage: accord participant datasets add|list|remove ID|reconfirm ID');
  }
  return 0;
}

export async function runBudgetCommand(node: ParticipantNode, argv: string[], out: Output): Promise<number> {
  const [action, datasetId, ...rest] = argv;
  const { values } = parseCommand(rest, {
    epsilon: { type: 'string' },
    delta: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!datasetId || (action !== 'set' && action !== 'show'))
    throw new Error('usage: accord participant budget set|show DATASET');
  node.datasets.require(datasetId);
  if (action === 'set') {
    const epsilon = requireNumber(values.epsilon, 'epsilon');
    const delta = requireNumber(values.delta, 'delta');
    node.database.db.transaction(() => {
      node.ledger.setBudget(datasetId, epsilon, delta);
      node.audit.append('budget', { datasetId, epsilon, delta, by: currentUser() });
    })();
  }
  const status = budgetStatus(node, datasetId);
  if (values.json) out(JSON.stringify(status, null, 2));
  else {
    out(
      `dataset ${datasetId}: budget ε ${status.epsilon} at δ ${status.delta}; spent ε ${status.spent.toFixed(4)}; remaining ${status.remaining.toFixed(4)}`,
    );
    for (const e of status.entries)
      out(
        `  #${e.seq} ${e.recordedAt} ${e.roundKey}  σ ${e.noiseMultiplier} q ${e.sampleRate} steps ${e.steps}  ε ${e.epsilonBefore.toFixed(4)} → ${e.epsilonAfter.toFixed(4)}`,
      );
  }
  return 0;
}
