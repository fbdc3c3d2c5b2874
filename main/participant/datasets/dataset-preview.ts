/**
 * The first rows of a data file, read by the engine's readers, so a person can map its columns before
 * registering it. Problems met on the way are returned (file, line, field), not thrown: a preview of a
 * broken file is still useful, and it says exactly where the file is broken.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readRecords } from '../../../engine/data/readers/read-records.ts';
import type { DatasetPreview, FileIssue } from '../../../preload/contract.ts';
import type { DatasetFormat } from './dataset-validation.ts';

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export async function previewDataset(path: string, format: DatasetFormat, limit = 10): Promise<DatasetPreview> {
  const file = resolve(path);
  if (!existsSync(file)) throw new Error(`dataset file not found: ${file}`);
  const rows: Record<string, string>[] = [];
  const columns = new Set<string>();
  const issues: FileIssue[] = [];
  // Stops after `limit` rows or the first few problems: a preview never reads a whole large file.
  for await (const item of readRecords(file, { format })) {
    if (item.kind === 'issue') {
      const { location, field, message } = item.issue;
      const line = location.line ?? (location.row === undefined ? null : location.row + 1);
      issues.push({ file, line, field: field ?? null, message });
      if (issues.length >= 3) break;
      continue;
    }
    for (const key of Object.keys(item.row.record)) columns.add(key);
    rows.push(Object.fromEntries(Object.entries(item.row.record).map(([key, value]) => [key, asText(value)])));
    if (rows.length >= limit) break;
  }
  return { path: file, format, sizeBytes: statSync(file).size, columns: [...columns], rows, issues };
}
