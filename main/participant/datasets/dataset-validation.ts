/**
 * Checks a dataset file against its column mapping and gathers statistics, streaming row by row.
 * Every error names the file, the line (Parquet: the row) and the field. Reading is the engine's
 * (engine/data readers: CSV, TSV, JSONL, Parquet); this checks the column mapping on every record.
 */
import { readRecords } from '../../../engine/data/readers/read-records.ts';

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

export class DatasetValidationError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string | undefined;
  /** `where` names the place when it is not a line (Parquet: `file row N`). */
  constructor(file: string, line: number, field: string | undefined, problem: string, where = `${file}:${line}`) {
    super(`${where}${field ? ` field "${field}"` : ''}: ${problem}`);
    this.name = 'DatasetValidationError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

class StatisticsBuilder {
  rows = 0;
  textLength = 0;
  readonly labels: Record<string, number> = {};
  readonly file: string;
  readonly mapping: ColumnMapping;
  constructor(file: string, mapping: ColumnMapping) {
    this.file = file;
    this.mapping = mapping;
  }

  add(record: Record<string, unknown>, line: number, where: string): void {
    for (const [role, column] of Object.entries(this.mapping)) {
      const value = record[column];
      if (value === undefined || value === null || String(value).trim() === '') {
        throw new DatasetValidationError(this.file, line, column, `empty value for the ${role} column`, where);
      }
      if (role === 'text') this.textLength += String(value).length;
      if (role === 'label') this.labels[String(value)] = (this.labels[String(value)] ?? 0) + 1;
    }
    this.rows += 1;
  }

  build(columns: string[]): DatasetStatistics {
    if (this.rows === 0) throw new DatasetValidationError(this.file, 1, undefined, 'the file has no data rows');
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

function checkColumns(
  file: string,
  format: DatasetFormat,
  record: Record<string, unknown>,
  mapping: ColumnMapping,
  line: number,
  where: string,
): void {
  const present = Object.keys(record);
  for (const [role, column] of Object.entries(mapping)) {
    if (column in record) continue;
    const header = format === 'csv' || format === 'tsv';
    const problem = header
      ? `the ${role} column "${column}" is not in the header (${present.join(', ')})`
      : `missing (the ${role} column; this record has ${present.join(', ')})`;
    if (header) throw new DatasetValidationError(file, 1, column, problem);
    throw new DatasetValidationError(file, line, column, problem, where);
  }
}

/** Streams every record through the engine's readers (engine/data), stopping at the first bad row. */
export async function validateDataset(
  file: string,
  format: DatasetFormat,
  mapping: ColumnMapping,
): Promise<DatasetStatistics> {
  if (Object.keys(mapping).length === 0) throw new Error('the column mapping is empty: name at least the text column');
  const stats = new StatisticsBuilder(file, mapping);
  const columns = new Set<string>();
  for await (const item of readRecords(file, { format })) {
    if (item.kind === 'issue') {
      const { line, where } = locationOf(file, item.issue.location.line, item.issue.location.row);
      throw new DatasetValidationError(file, line, item.issue.field, item.issue.message, where);
    }
    const { record, location } = item.row;
    const { line, where } = locationOf(file, location.line, location.row);
    checkColumns(file, format, record, mapping, line, where);
    for (const key of Object.keys(record)) columns.add(key);
    stats.add(record, line, where);
  }
  return stats.build([...columns]);
}
