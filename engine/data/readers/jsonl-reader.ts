/**
 * Streams JSON Lines files: one JSON object per line. Memory stays bounded by the longest line, itself bounded
 * (line-limits.ts). A line that is not UTF-8, not valid JSON, or not an object, becomes an issue that names its
 * line, and reading goes on.
 */
import { isUtf8 } from 'node:buffer';
import { readByteLines, type ByteLineOptions } from './byte-lines.ts';
import { invalidUtf8Message } from './line-limits.ts';
import type { ReadItem, RowIssue } from './source-row.ts';

function parseLine(text: string, line: number): { value: unknown } | { message: string } {
  try {
    return { value: JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text) };
  } catch (error) {
    return { message: `is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function notAnObject(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  return `is ${Array.isArray(value) ? 'an array' : String(value === null ? 'null' : typeof value)}, not a JSON object`;
}

export async function* readJsonLines(file: string, options: ByteLineOptions = {}): AsyncGenerator<ReadItem> {
  let index = 0;
  for await (const { line, bytes } of readByteLines(file, options)) {
    const location = { file, line };
    const issue = (message: string): ReadItem => ({ kind: 'issue', issue: { location, message } satisfies RowIssue });
    if (!isUtf8(bytes)) {
      yield issue(invalidUtf8Message);
      index += 1;
      continue;
    }
    const text = bytes.toString('utf8');
    if (text.trim() === '') continue;
    const parsed = parseLine(text, line);
    const problem = 'message' in parsed ? parsed.message : notAnObject(parsed.value);
    if (problem) yield issue(problem);
    else if ('value' in parsed)
      yield { kind: 'row', row: { location, index, record: parsed.value as Record<string, unknown> } };
    index += 1;
  }
}
