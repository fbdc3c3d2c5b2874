/**
 * The report of a training or evaluation run, per task: metrics of the untrained and the trained model (training)
 * or of the checkpoint (evaluation), as JSON for tools and Markdown for people. Both files are written next to
 * each other from one prefix: `<prefix>.json` and `<prefix>.md`.
 */
import { writeFileSync } from 'node:fs';

export interface ReportTask {
  name: string;
  kind: string;
  /** Metrics by column: e.g. { untrained: {...}, trained: {...} } or { checkpoint: {...} }. */
  columns: Record<string, Record<string, number>>;
  samplePredictions?: string[];
}

export interface RunReport {
  command: 'train' | 'eval';
  tasks: ReportTask[];
  details: Record<string, unknown>;
}

const format = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(4));

export function reportMarkdown(report: RunReport): string {
  const lines = [`# accord ${report.command} report`, ''];
  for (const task of report.tasks) {
    const columns = Object.keys(task.columns);
    const metrics = [...new Set(columns.flatMap((column) => Object.keys(task.columns[column]!)))];
    lines.push(`## ${task.name} (${task.kind})`, '', `| metric | ${columns.join(' | ')} |`);
    lines.push(`|---|${columns.map(() => '---:').join('|')}|`);
    for (const metric of metrics)
      lines.push(`| ${metric} | ${columns.map((column) => format(task.columns[column]![metric])).join(' | ')} |`);
    if (task.samplePredictions?.length) {
      lines.push('', 'Sample predictions:', '');
      for (const prediction of task.samplePredictions) lines.push(`- ${JSON.stringify(prediction)}`);
    }
    lines.push('');
  }
  lines.push('## Run', '');
  for (const [key, value] of Object.entries(report.details)) lines.push(`- ${key}: ${JSON.stringify(value)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `<prefix>.json` and `<prefix>.md`; returns both paths. */
export function writeReport(prefix: string, report: RunReport): { json: string; markdown: string } {
  const base = prefix.replace(/\.(json|md)$/, '');
  const paths = { json: `${base}.json`, markdown: `${base}.md` };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.markdown, reportMarkdown(report));
  return paths;
}
