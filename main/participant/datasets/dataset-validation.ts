/**
 * Checks a dataset file against its column mapping and gathers statistics, streaming row by row. Every problem
 * is reported, each naming the file, the line (Parquet: the row) and the field, so that a person fixes the file
 * in one pass; a file with any problem is refused. Reading is the engine's (engine/data readers: CSV, TSV,
 * JSONL, Parquet); this checks the column mapping on every record.
 */
import { readRecords } from '../../../engine/data/readers/read-records.ts';
import type { ReadDeadline } from './read-deadline.ts';

export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';
/** Role → column name, e.g. { text: 'review', label: 'sentiment' }. */
export type ColumnMapping = Readonly<Record<string, string>>;

export interface DatasetStatistics {
  readonly rows: number;
  readonly columns: string[];
  /** Per mapped label-like role: value → count (only for roles named 'label'). */
  readonly labelCounts: Readonly<Record<string, number>>;
  readonly meanTextLength: number;
}

/** One problem of a file: `where` names the place (`file:line`, or `file row N` for Parquet). */
export interface ValidationIssue {
  readonly file: string;
  readonly line: number;
  readonly field: string | undefined;
  readonly problem: string;
  readonly where: string;
}

/** The most problems one refusal lists: enough to fix a file in one pass, bounded for a file broken throughout. */
export const maxReportedIssues = 100;

function issueText(issue: ValidationIssue): string {
  return `${issue.where}${issue.field ? ` field "${issue.field}"` : ''}: ${issue.problem}`;
}

export class DatasetValidationError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string | undefined;
  /** Every problem found, in file order (the first is the one named by file, line and field). */
  readonly issues: readonly ValidationIssue[];
  constructor(file: string, line: number, field: string | undefined, problem: string, where = `${file}:${line}`) {
    super(issueText({ file, line, field, problem, where }));
    this.name = 'DatasetValidationError';
    this.file = file;
    this.line = line;
    this.field = field;
    this.issues = [{ file, line, field, problem, where }];
  }

  /** One problem per line of the message; `unlisted` more were found past the listing bound. */
  static of(issues: readonly ValidationIssue[], unlisted = 0): DatasetValidationError {
    const [first] = issues;
    if (!first) throw new Error('a validation error needs at least one issue');
    const error = new DatasetValidationError(first.file, first.line, first.field, first.problem, first.where);
    const more = unlisted > 0 ? [`…and ${unlisted} more problems not listed`] : [];
    error.message = [...issues.map(issueText), ...more].join('\n');
    Object.assign(error, { issues: [...issues] });
    return error;
  }
}

class IssueList {
  readonly listed: ValidationIssue[] = [];
  unlisted = 0;
  add(issue: ValidationIssue): void {
    if (this.listed.length < maxReportedIssues) this.listed.push(issue);
    else this.unlisted += 1;
  }
}

class StatisticsBuilder {
  rows = 0;
  textLength = 0;
  readonly labels: Record<string, number> = {};
  readonly mapping: ColumnMapping;
  constructor(mapping: ColumnMapping) {
    this.mapping = mapping;
  }

  /** The first mapped column whose value is empty, or undefined when the record counts. */
  add(record: Record<string, unknown>): { column: string; problem: string } | undefined {
    for (const [role, column] of Object.entries(this.mapping)) {
      const value = record[column];
      if (value === undefined || value === null || String(value).trim() === '')
        return { column, problem: `empty value for the ${role} column` };
    }
    for (const [role, column] of Object.entries(this.mapping)) {
      const value = String(record[column]);
      if (role === 'text') this.textLength += value.length;
      if (role === 'label') this.labels[value] = (this.labels[value] ?? 0) + 1;
    }
    this.rows += 1;
    return undefined;
  }

  build(columns: string[]): DatasetStatistics {
    return {
      rows: this.rows,
      columns,
      labelCounts: this.labels,
      meanTextLength: this.rows ? this.textLength / this.rows : 0,
    };
  }
}

function locationOf(file: string, line: number | undefined, row: number | undefined): { line: number; where: string } {
  if (line !== undefined) return { line, where: `${file}:${line}` };
  return { line: (row ?? 0) + 1, where: `${file} row ${row ?? 0}` };
}

/** A mapped column missing from a CSV/TSV header fails the whole file at once; in JSONL it is one record's issue. */
function missingColumn(
  format: DatasetFormat,
  record: Record<string, unknown>,
  mapping: ColumnMapping,
): { column: string; problem: string; wholeFile: boolean } | undefined {
  const present = Object.keys(record);
  for (const [role, column] of Object.entries(mapping)) {
    if (column in record) continue;
    const header = format === 'csv' || format === 'tsv';
    const problem = header
      ? `the ${role} column "${column}" is not in the header (${present.join(', ')})`
      : `missing (the ${role} column; this record has ${present.join(', ')})`;
    return { column, problem, wholeFile: header };
  }
  return undefined;
}

/** Streams every record through the engine's readers (engine/data) and throws, listing every problem, if any. */
export async function validateDataset(
  file: string,
  format: DatasetFormat,
  mapping: ColumnMapping,
  deadline?: ReadDeadline,
): Promise<DatasetStatistics> {
  if (Object.keys(mapping).length === 0) throw new Error('the column mapping is empty: name at least the text column');
  const stats = new StatisticsBuilder(mapping);
  const issues = new IssueList();
  const columns = new Set<string>();
  for await (const item of readRecords(file, { format })) {
    deadline?.check();
    if (item.kind === 'issue') {
      const { line, where } = locationOf(file, item.issue.location.line, item.issue.location.row);
      issues.add({ file, line, field: item.issue.field, problem: item.issue.message, where });
      continue;
    }
    const { record, location } = item.row;
    const { line, where } = locationOf(file, location.line, location.row);
    const missing = missingColumn(format, record, mapping);
    if (missing?.wholeFile) throw new DatasetValidationError(file, 1, missing.column, missing.problem);
    const empty = missing ?? stats.add(record);
    for (const key of Object.keys(record)) columns.add(key);
    if (empty) issues.add({ file, line, field: empty.column, problem: empty.problem, where });
  }
  if (issues.listed.length > 0) throw DatasetValidationError.of(issues.listed, issues.unlisted);
  if (stats.rows === 0) throw new DatasetValidationError(file, 1, undefined, 'the file has no data rows');
  return stats.build([...columns]);
}
