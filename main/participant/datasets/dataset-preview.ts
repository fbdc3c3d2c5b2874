/**
 * The first rows of a data file, read by the engine's readers, so a person can map its columns before
 * registering it. Problems met on the way are returned (file, line, field), not thrown: a preview of a
 * broken file is still useful, and it says exactly where the file is broken. A preview reads a bounded
 * start of a regular file, within a time bound.
 */
import { readRecords } from '../../../engine/data/readers/read-records.ts';
import type { ReadItem } from '../../../engine/data/readers/source-row.ts';
import type { DatasetPreview, FileIssue } from '../../../preload/contract.ts';
import { requireRegularFile } from './dataset-file.ts';
import type { DatasetFormat } from './dataset-validation.ts';
import { previewTimeoutMs, ReadDeadline } from './read-deadline.ts';

/** The most bytes a preview reads from a text file: a few rows never need more. */
export const maxPreviewBytes = 16 * 1024 * 1024;

export interface PreviewOptions {
  limit?: number;
  timeoutMs?: number;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function issueOf(file: string, item: Extract<ReadItem, { kind: 'issue' }>): FileIssue {
  const { location, field, message } = item.issue;
  const line = location.line ?? (location.row === undefined ? null : location.row + 1);
  return { file, line, field: field ?? null, message };
}

export async function previewDataset(
  path: string,
  format: DatasetFormat,
  options: PreviewOptions = {},
): Promise<DatasetPreview> {
  const { path: file, sizeBytes } = requireRegularFile(path);
  const limit = options.limit ?? 10;
  const deadline = new ReadDeadline(`the preview of ${file}`, options.timeoutMs ?? previewTimeoutMs);
  const cut = format !== 'parquet' && sizeBytes > maxPreviewBytes;
  const items: ReadItem[] = [];
  let rows = 0;
  let reachedEnd = true;
  // Stops after `limit` rows or the first few problems: a preview never reads a whole large file.
  for await (const item of readRecords(file, { format, ...(cut ? { endByte: maxPreviewBytes } : {}) })) {
    deadline.check();
    items.push(item);
    if (item.kind === 'row') rows += 1;
    if (rows >= limit || items.length - rows >= 3) {
      reachedEnd = false;
      break;
    }
  }
  // The last record before the byte bound may be cut in the middle: it is not shown.
  if (cut && reachedEnd) items.pop();
  const shown = items.flatMap((item) => (item.kind === 'row' ? [item.row.record] : []));
  const columns = [...new Set(shown.flatMap((record) => Object.keys(record)))];
  const issues = items.flatMap((item) => (item.kind === 'issue' ? [issueOf(file, item)] : []));
  const table = shown.map((record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, asText(v)])));
  return { path: file, format, sizeBytes, columns, rows: table, issues };
}
