/** The newest lines of the participant log and its rotated files, oldest first, up to a size support can read. */
import { existsSync, readFileSync } from 'node:fs';

const defaultMaxBytes = 1024 * 1024;

/** Each line parsed when it is the log's JSON, kept as text otherwise (a line cut by a crash). */
export function recentLogLines(file: string, maxBytes = defaultMaxBytes): unknown[] {
  const files = [file, ...Array.from({ length: 9 }, (_, index) => `${file}.${index + 1}`)].filter(existsSync);
  const lines: string[] = [];
  let bytes = 0;
  for (const current of files) {
    const fileLines = readFileSync(current, 'utf8').split('\n').filter(Boolean).reverse();
    for (const line of fileLines) {
      bytes += Buffer.byteLength(line) + 1;
      if (bytes > maxBytes) return lines.reverse().map(parsed);
      lines.push(line);
    }
  }
  return lines.reverse().map(parsed);
}

function parsed(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}
