import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonLines } from '../../../../engine/data/readers/jsonl-reader.ts';
import type { ReadItem } from '../../../../engine/data/readers/source-row.ts';

const temp = mkdtempSync(join(tmpdir(), 'accord-jsonl-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const all: ReadItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('readJsonLines', () => {
  it('reads objects line by line and names each line that is not UTF-8, not JSON or not an object', async () => {
    const file = join(temp, 'mixed.jsonl');
    const bad = Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    writeFileSync(file, Buffer.concat([Buffer.from('{"t":"a"}\r\n'), bad, Buffer.from('\n\n[1]\n{oops\n{"t":"b"}')]));
    const items = await collect(readJsonLines(file));
    expect(items.map((item) => (item.kind === 'row' ? item.row.record : item.issue))).toEqual([
      { t: 'a' },
      { location: { file, line: 2 }, message: expect.stringMatching(/not valid UTF-8/) as unknown },
      { location: { file, line: 4 }, message: 'is an array, not a JSON object' },
      { location: { file, line: 5 }, message: expect.stringMatching(/not valid JSON/) as unknown },
      { t: 'b' },
    ]);
  });

  it('stops at a line longer than the bound and names it', async () => {
    const file = join(temp, 'long.jsonl');
    writeFileSync(file, `{"t":"a"}\n{"t":"${'x'.repeat(5000)}"}\n`);
    await expect(collect(readJsonLines(file, { maxLineBytes: 1000 }))).rejects.toThrow(
      `${file}:2: the line is longer than 1000 bytes`,
    );
  });

  it('reads no further than endByte', async () => {
    const file = join(temp, 'start.jsonl');
    writeFileSync(file, '{"t":"a"}\n{"t":"b"}\n');
    const items = await collect(readJsonLines(file, { endByte: 10 }));
    expect(items.map((item) => item.kind === 'row' && item.row.record)).toEqual([{ t: 'a' }]);
  });
});
