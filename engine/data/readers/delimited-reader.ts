/**
 * Streams CSV and TSV files (csv-parse) as records keyed by the header row. Memory stays bounded by the longest
 * record, whatever the file size. A row with the wrong number of fields, broken quoting or bytes that are not
 * UTF-8 becomes an issue that names the line where the row starts, and reading goes on; a line longer than the
 * bound stops the read with an error naming it.
 */
import { type CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { defaultMaxLineBytes, invalidUtf8Message } from './line-limits.ts';
import { LineTracker } from './line-tracker.ts';
import { brokenQuotingColumn } from './quoting-check.ts';
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
  maxLineBytes?: number;
  /** Read no further than this byte (exclusive): a preview reads the start of a file only. */
  endByte?: number;
}

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number; bytes: number };
}

/** A record csv-parse skipped, and how many records it had produced before it (to place it in order). */
interface Skip {
  records: number;
  message: string;
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
    raw: quoting !== 'none',
    // A quote left open holds everything after it in one record: bound it like a line.
    max_record_size: options.maxLineBytes ?? defaultMaxLineBytes,
    skip_records_with_error: true,
    on_skip: onSkip,
  });
}

function skipMessage(error: CsvError | undefined): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED') return 'Quote Not Closed: a quoted field opens here and is never closed';
  if (error?.code === 'CSV_MAX_RECORD_SIZE')
    return 'the record that starts here runs past the longest line accepted: is a quote left open? (the rest of the file was not read)';
  return error?.message ?? 'could not be parsed';
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

function openRecords(file: string, options: DelimitedOptions, skips: Skip[]) {
  const parser = parserFor(options, (error) => {
    skips.push({ records: Number(error?.records ?? 0), message: skipMessage(error) });
  });
  const lines = new LineTracker({ file, ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}) });
  const range = options.endByte === undefined ? {} : { end: Math.max(0, options.endByte - 1) };
  const source = createReadStream(file, range);
  // pipe() does not forward errors: without this a missing or unreadable file would leave the loop waiting.
  source.on('error', (error) => parser.destroy(error));
  lines.on('error', (error) => parser.destroy(error));
  return { lines, records: source.pipe(lines).pipe(parser) as AsyncIterable<ParsedRecord> };
}

/** What is wrong with one parsed record's bytes, before its fields are looked at. */
function recordProblem(parsed: ParsedRecord, lines: LineTracker, delimiter: string): string | undefined {
  const invalid = lines.invalidLinesBefore(parsed.info.bytes);
  if (invalid.length > 0) return `${invalidUtf8Message} (line ${invalid.join(', ')})`;
  const column = parsed.raw === undefined ? undefined : brokenQuotingColumn(parsed.raw, delimiter);
  if (column === undefined) return undefined;
  return `field ${column} opens a quote that is not closed right before a delimiter: the lines after it were read as one field`;
}

export async function* readDelimited(file: string, options: DelimitedOptions): AsyncGenerator<ReadItem> {
  const skips: Skip[] = [];
  const { lines, records } = openRecords(file, options, skips);
  let recordStart = 0;
  let header = options.columns ? [...options.columns] : undefined;
  let consumed = 0;
  let index = 0;
  const skipped = function* (): Generator<ReadItem> {
    // A skipped record starts where the last record read ended: its own line, not the line the parser stopped at.
    while (skips[0] && skips[0].records <= consumed) {
      const { message } = skips.shift() as Skip;
      yield { kind: 'issue', issue: { location: { file, line: lines.lineStartingAt(recordStart) }, message } };
    }
  };
  for await (const parsed of records) {
    yield* skipped();
    const line = lines.lineStartingAt(recordStart);
    recordStart = parsed.info.bytes;
    consumed += 1;
    const problem = recordProblem(parsed, lines, options.delimiter);
    if (header === undefined) {
      header = parsed.record;
      const headerProblem = problem ? `${file}:1: the header row ${problem}` : checkHeader(file, header);
      if (headerProblem) throw new Error(headerProblem);
      continue;
    }
    const message = problem ?? fieldCountProblem(parsed.record, header);
    if (message) yield { kind: 'issue', issue: { location: { file, line }, message } };
    else yield { kind: 'row', row: { location: { file, line }, index, record: recordOf(header, parsed.record) } };
    index += 1;
  }
  consumed = Infinity;
  yield* skipped();
  if (header === undefined) throw new Error(`${file} is empty: it has no header row`);
}

function fieldCountProblem(record: readonly string[], header: readonly string[]): string | undefined {
  if (record.length === header.length) return undefined;
  return `has ${record.length} fields; the header has ${header.length}`;
}

function recordOf(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.forEach((name, column) => (record[name] = fields[column]));
  return record;
}
