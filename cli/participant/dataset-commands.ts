/** `accord participant datasets …` and `budget …`. */
import { budgetStatus } from '../../main/participant/api/participant-methods.ts';
import type { DatasetFormat } from '../../main/participant/datasets/dataset-validation.ts';
import { currentUser } from '../../main/participant/consent/consent-desk.ts';
import { requireAllowedDatasetPath } from '../../main/participant/datasets/dataset-folders.ts';
import { numberOption, parseCommandLine, requiredOption } from '../command-line/parse-command-line.ts';
import { printLine } from '../command-line/print-line.ts';
import { UsageError } from '../command-line/usage-error.ts';
import { withParticipantNode } from './with-participant-node.ts';

const jsonOption = { json: { type: 'boolean' } } as const;

function parseColumns(pairs: string[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const pair of pairs) {
    const [role, column] = pair.split('=');
    if (!role || !column) throw new UsageError(`--column expects ROLE=COLUMN (e.g. text=review), got "${pair}"`);
    columns[role] = column;
  }
  return columns;
}

export async function addDataset(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    name: { type: 'string' },
    path: { type: 'string' },
    task: { type: 'string' },
    format: { type: 'string', default: 'csv' },
    column: { type: 'string', multiple: true, default: [] },
  });
  const request = {
    name: requiredOption(values.name, 'name'),
    path: requiredOption(values.path, 'path'),
    task: requiredOption(values.task, 'task'),
    format: values.format as DatasetFormat,
    columns: parseColumns(values.column),
  };
  // A person with a shell may register any file they can read, unless a managed policy names the folders.
  const dataset = await withParticipantNode((node) =>
    node.datasets.register(
      node.policy?.datasetFolders
        ? { ...request, path: requireAllowedDatasetPath(node.database.db, request.path, { policy: node.policy }) }
        : request,
    ),
  );
  printLine(`registered ${dataset.id}  ${dataset.name}  ${dataset.stats.rows} rows  sha256 ${dataset.sha256}`);
}

export async function listDatasets(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, jsonOption);
  const datasets = await withParticipantNode((node) => node.datasets.listChecked());
  if (values.json) printLine(JSON.stringify(datasets, null, 2));
  else
    for (const d of datasets)
      printLine(`${d.id}  ${d.status.padEnd(7)}  ${d.name}  ${d.task}  ${d.stats.rows} rows  ${d.path}`);
}

export async function removeDataset(argv: string[]): Promise<void> {
  const [id = ''] = parseCommandLine(argv, {}, ['ID']).positionals;
  await withParticipantNode((node) => node.datasets.remove(id));
  printLine(`removed ${id}`);
}

export async function reconfirmDataset(argv: string[]): Promise<void> {
  const [id = ''] = parseCommandLine(argv, {}, ['ID']).positionals;
  const dataset = await withParticipantNode((node) => node.datasets.reconfirm(id));
  printLine(`re-confirmed ${dataset.id}  sha256 ${dataset.sha256}`);
}

function printBudget(datasetId: string, status: ReturnType<typeof budgetStatus>, json: boolean | undefined): void {
  if (json) return printLine(JSON.stringify(status, null, 2));
  printLine(
    `dataset ${datasetId}: budget ε ${status.epsilon} at δ ${status.delta}; spent ε ${status.spent.toFixed(4)}; remaining ${status.remaining.toFixed(4)}`,
  );
  for (const e of status.entries)
    printLine(
      `  #${e.seq} ${e.recordedAt} ${e.roundKey}  σ ${e.noiseMultiplier} q ${e.sampleRate} steps ${e.steps}  ε ${e.epsilonBefore.toFixed(4)} → ${e.epsilonAfter.toFixed(4)}`,
    );
}

/** `budget set DATASET --epsilon E --delta D`: the new budget, audited, then the budget and its ledger. */
export async function setBudget(argv: string[]): Promise<void> {
  const options = { epsilon: { type: 'string' }, delta: { type: 'string' }, ...jsonOption } as const;
  const { values, positionals } = parseCommandLine(argv, options, ['DATASET']);
  const datasetId = positionals[0] ?? '';
  const budget = { epsilon: numberOption(values.epsilon, 'epsilon'), delta: numberOption(values.delta, 'delta') };
  const status = await withParticipantNode((node) => {
    node.datasets.require(datasetId);
    node.database.db.transaction(() => {
      node.ledger.setBudget(datasetId, budget.epsilon, budget.delta);
      node.audit.append('budget', { datasetId, ...budget, by: currentUser() });
    })();
    return budgetStatus(node, datasetId);
  });
  printBudget(datasetId, status, values.json);
}

export async function showBudget(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, jsonOption, ['DATASET']);
  const datasetId = positionals[0] ?? '';
  const status = await withParticipantNode((node) => (node.datasets.require(datasetId), budgetStatus(node, datasetId)));
  printBudget(datasetId, status, values.json);
}
