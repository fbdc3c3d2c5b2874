/**
 * `accord data inspect <file>`: reads a dataset as a task would, and prints what an institution checks before
 * training on it: bad rows (file, line, field), label distribution, length percentiles, and the split sizes.
 */
import { parseArgs } from 'node:util';
import { splitOf } from './split.ts';
import { type DatasetStatistics, StatisticsCollector } from './statistics.ts';
import { classificationTask } from './tasks/classification.ts';
import { extractiveQaTask } from './tasks/extractive-qa.ts';
import { emptyReport, type ReadReport, streamExamples } from './tasks/read-examples.ts';
import { summarizationTask } from './tasks/summarization.ts';
import type { TaskSchema } from './tasks/task-schema.ts';
import { dataFormats, type DataFormat } from './readers/read-records.ts';
import { loadTokenizer } from './tokenizer.ts';

const tasks: Record<string, { schema: TaskSchema<object>; textFields: string[] }> = {
  classification: { schema: classificationTask, textFields: ['text', 'textPair'] },
  'extractive-qa': { schema: extractiveQaTask, textFields: ['question', 'context'] },
  summarization: { schema: summarizationTask, textFields: ['document', 'summary'] },
};

export interface InspectResult {
  report: ReadReport;
  statistics: DatasetStatistics;
  split: { train: number; validation: number; validationFraction: number; seed: string };
}

function parseMapping(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    entries.map((entry) => {
      const [field, column] = entry.split('=');
      if (!field || !column) throw new Error(`--map takes field=column, got "${entry}"`);
      return [field, column];
    }),
  );
}

function options(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      task: { type: 'string', default: 'classification' },
      map: { type: 'string', multiple: true, default: [] },
      format: { type: 'string' },
      quoting: { type: 'string' },
      columns: { type: 'string' },
      tokenizer: { type: 'string' },
      validation: { type: 'string', default: '0.1' },
      seed: { type: 'string', default: '0' },
      'max-issues': { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: accord data inspect <file> [--task classification|extractive-qa|summarization] …');
  const task = tasks[values.task];
  if (!task) throw new Error(`unknown task "${values.task}" (tasks: ${Object.keys(tasks).join(', ')})`);
  if (values.format !== undefined && !(dataFormats as readonly string[]).includes(values.format))
    throw new Error(`unknown format "${values.format}" (formats: ${dataFormats.join(', ')})`);
  return { file, task, values, format: values.format as DataFormat | undefined };
}

export async function inspectDataset(argv: string[]): Promise<InspectResult> {
  const { file, task, values, format } = options(argv);
  const tokenizer = values.tokenizer ? loadTokenizer(values.tokenizer) : undefined;
  const collector = new StatisticsCollector({
    textFields: task.textFields,
    ...(tokenizer ? { countTokens: (text: string) => tokenizer.tokenize(text).ids.length } : {}),
  });
  const validationFraction = Number(values.validation);
  const split = { train: 0, validation: 0, validationFraction, seed: values.seed };
  const report = emptyReport(file);
  if (values.quoting !== undefined && values.quoting !== 'rfc4180' && values.quoting !== 'none')
    throw new Error(`--quoting takes rfc4180 or none, got "${values.quoting}"`);
  const readOptions = {
    mapping: parseMapping(values.map),
    maxIssues: Number(values['max-issues']),
    ...(format ? { format } : {}),
    ...(values.quoting ? { quoting: values.quoting as 'rfc4180' | 'none' } : {}),
    ...(values.columns ? { columns: values.columns.split(',') } : {}),
  };
  for await (const { example, index } of streamExamples(file, task.schema, readOptions, report)) {
    collector.add(example);
    split[splitOf(example, index, { validationFraction, seed: values.seed })] += 1;
  }
  return { report, statistics: collector.result(), split };
}
