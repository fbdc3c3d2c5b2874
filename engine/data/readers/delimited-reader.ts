/**
 * Streams CSV and TSV files (csv-parse) as records keyed by the header row. Memory stays bounded by the longest
 * record, whatever the file size. A row with the wrong number of fields or broken quoting becomes an issue that
 * names its line, and reading goes on.
 */
import { type CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { LineTracker } from './line-tracker.ts';
import type { ReadItem } from './source-row.ts';

export interface DelimitedOptions {
  /** ',' for CSV, '\t' for TSV. */
  delimiter: string;
  /**
   * 'rfc4180': fields may be quoted with '"' (a quote inside a quoted field is doubled); a stray quote inside an
   * unquoted field is kept as text. 'none': quotes are ordinary characters (GLUE's TSV files are written so).
   */
  quoting?: 'rfc4180' | 'none';
  /** Column names when the file has no header row. */
  columns?: readonly string[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number; bytes: number };
}

function parserFor(options: DelimitedOptions, onSkip: (error: CsvError | undefined) => undefined) {
  const quoting = options.quoting ?? 'rfc4180';
  return parse({
    delimiter: options.delimiter,
    quote: quoting === 'none' ? false : '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
    skip_records_with_error: true,
    on_skip: onSkip,
  });
}

function checkHeader(file: string, header: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const [column, name] of header.entries()) {
    if (name.trim() === '') return `${file}:1: column ${column + 1} of the header row has no name`;
    if (seen.has(name)) return `${file}:1: column name "${name}" appears twice in the header row`;
    seen.add(name);
  }
  return undefined;
}

export async function* readDelimited(file: string, options: DelimitedOptions): AsyncGenerator<ReadItem> {
  // With quotes and column counts relaxed, csv-parse skips a record only for a quote left open, which runs to
  // the end of the file: so a skip is never followed by records whose start lines it would shift.
  const skipped: ReadItem[] = [];
  const parser = parserFor(options, (error) => {
    const line = typeof error?.lines === 'number' ? error.lines : undefined;
    const message = error?.message ?? 'could not be parsed';
    skipped.push({ kind: 'issue', issue: { location: { file, ...(line === undefined ? {} : { line }) }, message } });
  });
  const lines = new LineTracker();
  const stream = createReadStream(file).pipe(lines).pipe(parser);
  let recordStart = 0;
  let header = options.columns ? [...options.columns] : undefined;
  let index = 0;
  for await (const parsed of stream as AsyncIterable<ParsedRecord>) {
    yield* skipped.splice(0);
    const line = lines.lineStartingAt(recordStart);
    recordStart = parsed.info.bytes;
    if (header === undefined) {
      header = parsed.record;
      const problem = checkHeader(file, header);
      if (problem) throw new Error(problem);
      continue;
    }
    if (parsed.record.length !== header.length) {
      const message = `has ${parsed.record.length} fields; the header has ${header.length}`;
      yield { kind: 'issue', issue: { location: { file, line }, message } };
      index += 1;
      continue;
    }
    const record: Record<string, unknown> = {};
    header.forEach((name, column) => (record[name] = parsed.record[column]));
    yield { kind: 'row', row: { location: { file, line }, index, record } };
    index += 1;
  }
  yield* skipped.splice(0);
  if (header === undefined) throw new Error(`${file} is empty: it has no header row`);
}
