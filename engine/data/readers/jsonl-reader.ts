/**
 * Streams JSON Lines files: one JSON object per line. Memory stays bounded by the longest line. A line that is not
 * valid JSON, or not an object, becomes an issue that names its line, and reading goes on.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ReadItem } from './source-row.ts';

export async function* readJsonLines(file: string): AsyncGenerator<ReadItem> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    const location = { file, line };
    let value: unknown;
    try {
      value = JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text);
    } catch (error) {
      const message = `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
      yield { kind: 'issue', issue: { location, message } };
      index += 1;
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield {
        kind: 'issue',
        issue: {
          location,
          message: `is ${Array.isArray(value) ? 'an array' : String(value === null ? 'null' : typeof value)}, not a JSON object`,
        },
      };
    } else {
      yield { kind: 'row', row: { location, index, record: value as Record<string, unknown> } };
    }
    index += 1;
  }
}
