/**
 * Writes a large JSON Lines classification file for streaming tests and benchmarks (never committed): sentences
 * cycled from a small list with the row number appended, so that rows differ, written in 4 MiB chunks.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeLargeJsonLines(file: string, targetBytes: number, sentences: readonly string[]) {
  if (sentences.length === 0) throw new Error('need at least one sentence to repeat');
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  while (written < targetBytes) {
    const lines: string[] = [];
    let chunkBytes = 0;
    while (chunkBytes < 4 * 1024 * 1024 && written + chunkBytes < targetBytes) {
      const line = `${JSON.stringify({ text: `${sentences[rows % sentences.length]} #${rows}`, label: rows % 2 })}\n`;
      lines.push(line);
      chunkBytes += Buffer.byteLength(line);
      rows += 1;
    }
    written += chunkBytes;
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes: written, rows };
}
