/**
 * The UCI "Sentiment Labelled Sentences" (Kotzias et al. 2015, CC BY 4.0), as shipped in the test fixtures of
 * the npm package `sentiment`, written as TSV files with a header row (`text`, `label`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const sentimentSources = ['amazon', 'imdb', 'yelp'] as const;

interface FixtureRow {
  text: string;
  class: number | null;
}

/** RFC 4180-style quoting, with a tab as the delimiter: quote only the fields that need it. */
export function tsvField(value: string): string {
  return /[\t\n\r"]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function sentimentTsv(rows: readonly FixtureRow[]): string {
  const lines = ['text\tlabel'];
  for (const row of rows) {
    // Each fixture ends with an empty record (text "", class null) that is not part of the UCI data.
    if (row.text === '' && row.class === null) continue;
    if (row.class !== 0 && row.class !== 1) throw new Error(`unexpected class ${String(row.class)} for "${row.text}"`);
    lines.push(`${tsvField(row.text.trim())}\t${row.class}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeSentimentData(nodeModules: string, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const source of sentimentSources) {
    const fixture = join(nodeModules, 'sentiment', 'test', 'fixtures', `${source}.json`);
    const rows = JSON.parse(readFileSync(fixture, 'utf8')) as FixtureRow[];
    const target = join(outDir, `${source}.tsv`);
    writeFileSync(target, sentimentTsv(rows));
    written.push(target);
  }
  return written;
}
