/**
 * Checks a dataset file against its column mapping and gathers statistics, streaming row by row.
 * Every error names the file, the line and the field. (The engine's readers, engine/data, will replace
 * this minimal check with full task-schema validation; the error shape stays.)
 */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

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
  constructor(file: string, line: number, field: string | undefined, problem: string) {
    super(`${file}:${line}${field ? ` field "${field}"` : ''}: ${problem}`);
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

  add(record: Record<string, unknown>, line: number): void {
    for (const [role, column] of Object.entries(this.mapping)) {
      const value = record[column];
      if (value === undefined || value === null || String(value).trim() === '') {
        throw new DatasetValidationError(this.file, line, column, `empty value for the ${role} column`);
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

function checkHeader(file: string, header: readonly string[], mapping: ColumnMapping): void {
  for (const [role, column] of Object.entries(mapping)) {
    if (!header.includes(column)) {
      throw new DatasetValidationError(
        file,
        1,
        column,
        `the ${role} column "${column}" is not in the header (${header.join(', ')})`,
      );
    }
  }
}

async function validateDelimited(file: string, delimiter: string, mapping: ColumnMapping): Promise<DatasetStatistics> {
  const stats = new StatisticsBuilder(file, mapping);
  let header: string[] | undefined;
  const parser = createReadStream(file).pipe(parse({ delimiter, info: true, bom: true, relax_quotes: false }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record;
        checkHeader(file, header, mapping);
        continue;
      }
      if (record.length !== header.length) {
        throw new DatasetValidationError(
          file,
          info.lines,
          undefined,
          `expected ${header.length} fields, found ${record.length}`,
        );
      }
      stats.add(Object.fromEntries(header.map((name, i) => [name, record[i]])), info.lines);
    }
  } catch (error) {
    if (error instanceof DatasetValidationError) throw error;
    const line = (error as { lines?: number }).lines ?? 0;
    throw new DatasetValidationError(file, line, undefined, (error as Error).message);
  }
  return stats.build(header ?? []);
}

async function validateJsonLines(file: string, mapping: ColumnMapping): Promise<DatasetStatistics> {
  const stats = new StatisticsBuilder(file, mapping);
  const columns = new Set<string>();
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new DatasetValidationError(file, line, undefined, `not valid JSON (${(error as Error).message})`);
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      throw new DatasetValidationError(file, line, undefined, 'each line must be a JSON object');
    }
    for (const key of Object.keys(record)) columns.add(key);
    for (const column of Object.values(mapping)) {
      if (!(column in record)) throw new DatasetValidationError(file, line, column, 'missing');
    }
    stats.add(record as Record<string, unknown>, line);
  }
  return stats.build([...columns]);
}

export async function validateDataset(
  file: string,
  format: DatasetFormat,
  mapping: ColumnMapping,
): Promise<DatasetStatistics> {
  if (Object.keys(mapping).length === 0) throw new Error('the column mapping is empty: name at least the text column');
  if (format === 'csv') return validateDelimited(file, ',', mapping);
  if (format === 'tsv') return validateDelimited(file, '\t', mapping);
  if (format === 'jsonl') return validateJsonLines(file, mapping);
  throw new Error(`${file}: ${format} datasets are not supported yet (use csv, tsv or jsonl)`);
}
