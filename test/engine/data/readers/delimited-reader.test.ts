import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDelimited } from '../../../../engine/data/readers/delimited-reader.ts';
import type { ReadItem } from '../../../../engine/data/readers/source-row.ts';

const fixtures = 'test/fixtures/data';
const temp = mkdtempSync(join(tmpdir(), 'accord-delimited-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const all: ReadItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('readDelimited', () => {
  it('reads a TSV with quoted multi-line fields and names the line where each record starts', async () => {
    const items = await collect(readDelimited(`${fixtures}/reviews-with-errors.tsv`, { delimiter: '\t' }));
    const rows = items.flatMap((item) => (item.kind === 'row' ? [item.row] : []));
    // Lines: 1 header, 2 "The food…", 3–4 quoted two-line review, 5 "missing a label", 6 empty,
    // 7 unquoted field with quotes inside, 8 empty text, 9 empty label.
    expect(rows.map((row) => [row.location.line, row.record.text])).toEqual([
      [2, 'The food was great.'],
      [3, 'A "quoted" review\nover two lines'],
      [7, 'Service was slow; the waiter said "wait".'],
      [8, ''],
      [9, 'Fine value.'],
    ]);
    const issues = items.flatMap((item) => (item.kind === 'issue' ? [item.issue] : []));
    expect(issues).toEqual([
      { location: { file: `${fixtures}/reviews-with-errors.tsv`, line: 5 }, message: 'has 1 fields; the header has 2' },
    ]);
  });

  it('reads a CSV with CRLF line ends and GLUE columns', async () => {
    const items = await collect(readDelimited(`${fixtures}/mrpc-sample.csv`, { delimiter: ',' }));
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.kind === 'row' && first.row.record).toMatchObject({
      sentence1: 'Amrozi accused his brother, whom he called "the witness", of distorting evidence.',
      label: '1',
    });
  });

  it('counts lines across CRLF multi-line fields, blank lines and multi-byte characters', async () => {
    const file = join(temp, 'crlf.csv');
    writeFileSync(file, 'a,b\r\n1,2\r\n"x\r\ny",3\r\n\r\n\r\n"é\r\n",4\r\n5,6');
    const items = await collect(readDelimited(file, { delimiter: ',' }));
    expect(items.map((item) => item.kind === 'row' && item.row.location.line)).toEqual([2, 3, 7, 9]);
  });

  it('reports an unclosed quote with its line and keeps the rows before it', async () => {
    const file = join(temp, 'unclosed.tsv');
    writeFileSync(file, 'text\tlabel\nok\t1\n"never closed\t0\n');
    const items = await collect(readDelimited(file, { delimiter: '\t' }));
    expect(items[0]).toMatchObject({ kind: 'row', row: { record: { text: 'ok' } } });
    expect(items[1]).toMatchObject({ kind: 'issue', issue: { location: { line: 3 }, message: /Quote Not Closed/ } });
  });

  it('fails with the path of a missing file instead of waiting forever', async () => {
    const missing = join(temp, 'no-such-file.tsv');
    await expect(collect(readDelimited(missing, { delimiter: '\t' }))).rejects.toThrow(missing);
  });

  it('treats quotes as text when quoting is none (GLUE TSV files)', async () => {
    const file = join(temp, 'glue.tsv');
    writeFileSync(file, 'sentence\tlabel\n"a quote at the start\t1\n');
    const items = await collect(readDelimited(file, { delimiter: '\t', quoting: 'none' }));
    expect(items).toMatchObject([{ kind: 'row', row: { record: { sentence: '"a quote at the start' } } }]);
  });

  it('uses given column names for a file without a header, and refuses a header with a repeated name', async () => {
    const file = join(temp, 'no-header.csv');
    writeFileSync(file, 'good,1\nbad,0\n');
    const items = await collect(readDelimited(file, { delimiter: ',', columns: ['text', 'label'] }));
    expect(items.map((item) => item.kind === 'row' && item.row.record)).toEqual([
      { text: 'good', label: '1' },
      { text: 'bad', label: '0' },
    ]);
    const repeated = join(temp, 'repeated.csv');
    writeFileSync(repeated, 'text,text\na,b\n');
    await expect(collect(readDelimited(repeated, { delimiter: ',' }))).rejects.toThrow(
      /repeated.csv:1: column name "text" appears twice/,
    );
  });

  it('reports a quote left open at the line it opens, not where the file ends', async () => {
    const file = join(temp, 'open-quote.csv');
    writeFileSync(file, 'text,label\ngood,1\n"never closed,0\nmore,1\nend,0\n');
    const issues = (await collect(readDelimited(file, { delimiter: ',' }))).filter((item) => item.kind === 'issue');
    expect(issues).toMatchObject([{ issue: { location: { line: 3 }, message: /Quote Not Closed/ } }]);
  });

  it('reports a quoted field closed in the wrong place at its first line, and reads on after it', async () => {
    const file = join(temp, 'broken-quote.csv');
    writeFileSync(
      file,
      'text,label\n"good one",1\nsaid "hi" twice,0\n"broken start,1\nline five,0\n"six",1\nseven,0\n',
    );
    const items = await collect(readDelimited(file, { delimiter: ',' }));
    expect(items.map((item) => (item.kind === 'row' ? item.row.location.line : item.issue))).toEqual([
      2,
      3,
      { location: { file, line: 4 }, message: expect.stringMatching(/field 1 opens a quote/) as unknown },
      7,
    ]);
  });

  it('reports each line that is not UTF-8 instead of reading it with replacement characters', async () => {
    const file = join(temp, 'latin1.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('text,label\ngood,1\ncaf'), Buffer.from([0xe9]), Buffer.from(',0\nok,1\n')]),
    );
    const items = await collect(readDelimited(file, { delimiter: ',' }));
    expect(items.map((item) => (item.kind === 'row' ? item.row.record.text : item.issue.location.line))).toEqual([
      'good',
      3,
      'ok',
    ]);
  });

  it('stops at a line longer than the bound and names it, without reading the rest of the file', async () => {
    const file = join(temp, 'long-line.csv');
    writeFileSync(file, `text,label\nfine,1\n${'x'.repeat(5000)},0\n`);
    await expect(collect(readDelimited(file, { delimiter: ',', maxLineBytes: 1000 }))).rejects.toThrow(
      `${file}:3: the line is longer than 1000 bytes`,
    );
  });
});
