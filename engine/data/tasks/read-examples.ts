/**
 * Reads a data file as validated task examples. A bad row does not stop reading: every problem is counted, the
 * first `maxIssues` are kept with file, line (or row) and field, and the report says how many were left out.
 */
import { readRecords, type ReadOptions } from '../readers/read-records.ts';
import { describeIssue, type ReadItem, type RowIssue, type RowLocation } from '../readers/source-row.ts';
import { applyMapping, checkMapping, type ColumnMapping, sourceColumn } from './column-mapping.ts';
import type { TaskSchema } from './task-schema.ts';

export interface ReadExamplesOptions extends ReadOptions {
  mapping?: ColumnMapping;
  /** How many issues to keep in the report (all are counted). */
  maxIssues?: number;
  /** Where the records come from, when not from readRecords(file) (SQuAD JSON, tests). */
  source?: AsyncIterable<ReadItem>;
}

export interface ReadReport {
  file: string;
  rowsRead: number;
  examples: number;
  issueCount: number;
  /** The first issues, at most maxIssues of them. */
  issues: RowIssue[];
}

export interface LocatedExample<T> {
  example: T;
  location: RowLocation;
  /** 0-based position of the record in its file: what deterministic splits hash. */
  index: number;
}

export function emptyReport(file: string): ReadReport {
  return { file, rowsRead: 0, examples: 0, issueCount: 0, issues: [] };
}

function recordIssue(report: ReadReport, issue: RowIssue, maxIssues: number): void {
  report.issueCount += 1;
  if (report.issues.length < maxIssues) report.issues.push(issue);
}

function fieldName(path: readonly PropertyKey[], mapping: ColumnMapping | undefined): string | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const column = sourceColumn(String(head), mapping);
  return [column, ...rest]
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${String(part)}` : part))
    .join('');
}

/** Streams the valid examples; `report` fills in as it goes (read it after the loop). */
export async function* streamExamples<T>(
  file: string,
  task: TaskSchema<T>,
  options: ReadExamplesOptions,
  report: ReadReport,
): AsyncGenerator<LocatedExample<T>> {
  checkMapping(task.fields, options.mapping);
  const maxIssues = options.maxIssues ?? 100;
  for await (const item of options.source ?? readRecords(file, options)) {
    report.rowsRead += 1;
    if (item.kind === 'issue') {
      recordIssue(report, item.issue, maxIssues);
      continue;
    }
    const { location, index, record } = item.row;
    const mapped = applyMapping(record, task.fields, options.mapping);
    // A column the mapping names must be there, even for an optional field: its absence is a typo, not a choice.
    const absent = Object.keys(options.mapping ?? {}).filter((field) => mapped[field] === undefined);
    for (const field of absent)
      recordIssue(report, { location, field: sourceColumn(field, options.mapping), message: 'is missing' }, maxIssues);
    if (absent.length > 0) continue;
    const parsed = task.schema.safeParse(mapped);
    if (parsed.success) {
      report.examples += 1;
      yield { example: parsed.data, location, index };
      continue;
    }
    for (const zodIssue of parsed.error.issues) {
      const field = fieldName(zodIssue.path, options.mapping);
      recordIssue(report, { location, ...(field ? { field } : {}), message: zodIssue.message }, maxIssues);
    }
  }
}

/** Reads the whole file into memory (datasets that fit), with its report. */
export async function readExamples<T>(
  file: string,
  task: TaskSchema<T>,
  options: ReadExamplesOptions = {},
): Promise<{ examples: LocatedExample<T>[]; report: ReadReport }> {
  const report = emptyReport(file);
  const examples: LocatedExample<T>[] = [];
  for await (const example of streamExamples(file, task, options, report)) examples.push(example);
  return { examples, report };
}

/** A message listing the issues kept and how many more there were. */
export function describeReport(report: ReadReport): string {
  const head = `${report.file}: ${report.examples} valid examples of ${report.rowsRead} rows, ${report.issueCount} issues`;
  const more = report.issueCount - report.issues.length;
  const tail = more > 0 ? [`… and ${more} more issues not listed`] : [];
  return [head, ...report.issues.map((issue) => `  ${describeIssue(issue)}`), ...tail].join('\n');
}

/** Throws with every kept issue named when the file had any bad row. */
export function assertNoIssues(report: ReadReport): void {
  if (report.issueCount > 0) throw new Error(describeReport(report));
}
