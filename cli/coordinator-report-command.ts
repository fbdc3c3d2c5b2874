/**
 * `accord coordinator status|report`: the job, the rounds and the evaluation curves, read from the
 * coordinator's store, so they work whether the coordinator runs or not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCoordinatorConfig } from '../coordinator/config/coordinator-config.ts';
import { readFederationSummary } from '../coordinator/reports/federation-summary.ts';
import { reportHtml } from '../coordinator/reports/report-html.ts';
import { statusText } from '../coordinator/reports/status-text.ts';
import { parseCommandLine } from './command-line/parse-command-line.ts';
import { UsageError } from './command-line/usage-error.ts';

const configOption = { config: { type: 'string', default: 'coordinator.json' } } as const;

export async function runCoordinatorStatus(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, configOption);
  process.stdout.write(statusText(readFederationSummary(loadCoordinatorConfig(resolve(values.config)))));
}

export async function runCoordinatorReport(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { ...configOption, out: { type: 'string' } });
  if (!values.out) throw new UsageError('--out DIR is required: the folder to write index.html into');
  const summary = readFederationSummary(loadCoordinatorConfig(resolve(values.config)));
  const folder = resolve(values.out);
  mkdirSync(folder, { recursive: true });
  const page = join(folder, 'index.html');
  writeFileSync(page, reportHtml(summary));
  console.log(`wrote ${page}`);
}
