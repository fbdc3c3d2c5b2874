import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../../../engine/data/readers/parquet-reader.ts';
import { classificationTask, glueColumnMappings } from '../../../../engine/data/tasks/classification.ts';
import { readExamples } from '../../../../engine/data/tasks/read-examples.ts';

const temp = mkdtempSync(join(tmpdir(), 'accord-parquet-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A GLUE SST-2 shaped file: sentence (string, one null), label (int64), idx (int32); 2 rows per row group. */
function writeSst2(file: string): void {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'sentence', data: ['a gripping film', 'dull', null, 'warm and funny', 'too long'], type: 'STRING' },
      { name: 'label', data: [1n, 0n, 1n, 1n, 0n], type: 'INT64' },
      { name: 'idx', data: [0, 1, 2, 3, 4], type: 'INT32' },
    ],
    rowGroupSize: 2,
  });
  writeFileSync(file, new Uint8Array(buffer));
}

describe('readParquet', () => {
  const file = join(temp, 'sst2.parquet');
  writeSst2(file);

  it('streams every row across row groups and batches, with its row index, INT64 as numbers', async () => {
    const rows = [];
    for await (const item of readParquet(file, { batchRows: 2 })) if (item.kind === 'row') rows.push(item.row);
    expect(rows.map((row) => [row.location.row, row.record.label, row.record.idx])).toEqual([
      [0, 1, 0],
      [1, 0, 1],
      [2, 1, 2],
      [3, 1, 3],
      [4, 0, 4],
    ]);
  });

  it('validates rows through the column mapping and names the row and column of a bad one', async () => {
    const { examples, report } = await readExamples(file, classificationTask, { mapping: glueColumnMappings.sst2 });
    expect(examples.map((e) => e.example)).toContainEqual({ text: 'warm and funny', label: '1' });
    expect(report.issues).toEqual([{ location: { file, row: 2 }, field: 'sentence', message: 'is null' }]);
  });

  it('says when a file is not Parquet', async () => {
    const notParquet = join(temp, 'not.parquet');
    writeFileSync(notParquet, 'text,label\n');
    await expect(readExamples(notParquet, classificationTask)).rejects.toThrow(
      /not\.parquet is not a readable Parquet file/,
    );
  });
});
