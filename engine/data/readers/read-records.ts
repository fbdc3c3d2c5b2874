/** Reads any supported data file as a stream of records, choosing the reader by the file's extension. */
import { extname } from 'node:path';
import { readDelimited } from './delimited-reader.ts';
import { readJsonLines } from './jsonl-reader.ts';
import { readParquet } from './parquet-reader.ts';
import { readSquadJson } from './squad-json-reader.ts';
import type { ReadItem } from './source-row.ts';

export const dataFormats = ['csv', 'tsv', 'jsonl', 'parquet', 'squad-json'] as const;
export type DataFormat = (typeof dataFormats)[number];

export interface ReadOptions {
  /** Overrides the format the extension implies. */
  format?: DataFormat;
  /** CSV/TSV quoting (see DelimitedOptions). */
  quoting?: 'rfc4180' | 'none';
  /** CSV/TSV column names when the file has no header row. */
  columns?: readonly string[];
  /** CSV/TSV/JSONL: the longest line accepted (line-limits.ts); a longer one stops the read with its line. */
  maxLineBytes?: number;
  /** CSV/TSV/JSONL: read no further than this byte (exclusive), for a preview of a file's start. */
  endByte?: number;
}

const extensions: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.json': 'squad-json',
};

export function formatOf(file: string): DataFormat {
  const format = extensions[extname(file).toLowerCase()];
  if (format === undefined)
    throw new Error(
      `cannot tell the format of ${file} from its extension (known: ${Object.keys(extensions).join(', ')}); name one`,
    );
  return format;
}

export function readRecords(file: string, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const format = options.format ?? formatOf(file);
  const limits = {
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    ...(options.endByte === undefined ? {} : { endByte: options.endByte }),
  };
  switch (format) {
    case 'csv':
    case 'tsv':
      return readDelimited(file, {
        delimiter: format === 'csv' ? ',' : '\t',
        ...(options.quoting ? { quoting: options.quoting } : {}),
        ...(options.columns ? { columns: options.columns } : {}),
        ...limits,
      });
    case 'jsonl':
      return readJsonLines(file, limits);
    case 'parquet':
      return readParquet(file);
    case 'squad-json':
      return readSquadJson(file);
  }
}
