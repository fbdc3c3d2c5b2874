/**
 * Streams Parquet files (hyparquet) one row group at a time, in slices of at most `batchRows` rows, so memory is
 * bounded by a slice rather than by the file. Rows are located by their 0-based row index.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { ReadItem } from './source-row.ts';

export interface ParquetOptions {
  /** Columns to read (all when absent): reading fewer columns reads fewer bytes. */
  columns?: readonly string[];
  batchRows?: number;
}

/** Parquet INT64 columns come back as bigint; JSON-like records need numbers (exact up to 2^53). */
function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !ArrayBuffer.isView(value))
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainValue(inner)]));
  return value;
}

export async function* readParquet(file: string, options: ParquetOptions = {}): AsyncGenerator<ReadItem> {
  let buffer;
  let metadata;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file} is not a readable Parquet file: ${reason}`, { cause: error });
  }
  const totalRows = Number(metadata.num_rows);
  const batchRows = options.batchRows ?? 10_000;
  for (let rowStart = 0; rowStart < totalRows; rowStart += batchRows) {
    const rowEnd = Math.min(totalRows, rowStart + batchRows);
    const rows = await parquetReadObjects({
      file: buffer,
      metadata,
      rowStart,
      rowEnd,
      ...(options.columns ? { columns: [...options.columns] } : {}),
    });
    for (const [offset, row] of rows.entries()) {
      const index = rowStart + offset;
      const record = plainValue(row) as Record<string, unknown>;
      yield { kind: 'row', row: { location: { file, row: index }, index, record } };
    }
  }
}
