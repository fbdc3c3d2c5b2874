import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../../main/participant/audit/audit-log.ts';
import { DatasetRegistry, DatasetUnavailableError } from '../../../../main/participant/datasets/dataset-registry.ts';
import { DatasetValidationError } from '../../../../main/participant/datasets/dataset-validation.ts';
import { openParticipantDatabase } from '../../../../main/participant/store/participant-database.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

function registry() {
  const home = tempDir();
  const store = openParticipantDatabase(home);
  return { home, store, datasets: new DatasetRegistry(store.db, new AuditLog(store.db)) };
}
const mapping = { text: 'text', label: 'label' };

describe('DatasetRegistry', () => {
  it("registers by reference with the file's sha256 and statistics", async () => {
    const { home, datasets, store } = registry();
    const file = writeSentimentCsv(home, 'reviews.csv', 6);
    const dataset = await datasets.register({
      name: 'reviews',
      path: file,
      task: 'sentiment',
      format: 'csv',
      columns: mapping,
    });
    expect(dataset.path).toBe(file);
    expect(dataset.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(dataset.stats.rows).toBe(6);
    expect(dataset.stats.labelCounts).toEqual({ '0': 3, '1': 3 });
    expect(dataset.status).toBe('ready');
    // Kept by reference: the database holds no copy of the rows.
    const dbBytes = readFileSync(store.file).toString('latin1') + readFileSync(`${store.file}-wal`).toString('latin1');
    expect(dbBytes).not.toContain('review number 3');
  });

  it('names the file, line and field of a bad row', async () => {
    const { home, datasets } = registry();
    const file = join(home, 'bad.csv');
    writeFileSync(file, 'text,label\n"fine",1\n"",0\n');
    const attempt = datasets.register({ name: 'bad', path: file, task: 'sentiment', format: 'csv', columns: mapping });
    await expect(attempt).rejects.toThrow(`${file}:3 field "text": empty value for the text column`);
    await expect(attempt).rejects.toBeInstanceOf(DatasetValidationError);
  });

  it('names a mapped column missing from the header and a row with the wrong field count', async () => {
    const { home, datasets } = registry();
    const noLabel = join(home, 'nolabel.tsv');
    writeFileSync(noLabel, 'text\tstars\nhello\t5\n');
    await expect(
      datasets.register({ name: 'x', path: noLabel, task: 't', format: 'tsv', columns: mapping }),
    ).rejects.toThrow(`${noLabel}:1 field "label": the label column "label" is not in the header (text, stars)`);
    const ragged = join(home, 'ragged.csv');
    writeFileSync(ragged, 'text,label\na,1\nb,0,extra\n');
    await expect(
      datasets.register({ name: 'x', path: ragged, task: 't', format: 'csv', columns: mapping }),
    ).rejects.toThrow(new RegExp(`${ragged}:3`));
  });

  it('validates JSON lines with the line number of a broken record', async () => {
    const { home, datasets } = registry();
    const file = join(home, 'data.jsonl');
    writeFileSync(file, '{"text":"a","label":1}\n{"text":"b"}\n');
    await expect(
      datasets.register({ name: 'j', path: file, task: 't', format: 'jsonl', columns: mapping }),
    ).rejects.toThrow(`${file}:2 field "label": missing`);
    writeFileSync(file, '{"text":"a","label":1}\n{"text":"b","label":0}\n');
    const ok = await datasets.register({ name: 'j', path: file, task: 't', format: 'jsonl', columns: mapping });
    expect(ok.stats.rows).toBe(2);
  });

  it('refuses a changed file for training until a person re-confirms it', async () => {
    const { home, datasets } = registry();
    const file = writeSentimentCsv(home);
    const dataset = await datasets.register({
      name: 'reviews',
      path: file,
      task: 'sentiment',
      format: 'csv',
      columns: mapping,
    });
    await expect(datasets.ensureUnchanged(dataset.id)).resolves.toMatchObject({ id: dataset.id });
    appendFileSync(file, '"a new row",1\n');
    await expect(datasets.ensureUnchanged(dataset.id)).rejects.toThrow(DatasetUnavailableError);
    expect(datasets.require(dataset.id).status).toBe('changed');
    // Still refused on the next attempt, even if nothing else happened.
    await expect(datasets.ensureUnchanged(dataset.id)).rejects.toThrow(/re-confirm/);
    const confirmed = await datasets.reconfirm(dataset.id);
    expect(confirmed.status).toBe('ready');
    expect(confirmed.stats.rows).toBe(dataset.stats.rows + 1);
    await expect(datasets.ensureUnchanged(dataset.id)).resolves.toMatchObject({ sha256: confirmed.sha256 });
  });

  it('removes a dataset from use but keeps it on record', async () => {
    const { home, datasets } = registry();
    const dataset = await datasets.register({
      name: 'r',
      path: writeSentimentCsv(home),
      task: 's',
      format: 'csv',
      columns: mapping,
    });
    datasets.remove(dataset.id);
    expect(datasets.list()).toEqual([]);
    expect(datasets.list(true)[0]?.status).toBe('removed');
    await expect(datasets.ensureUnchanged(dataset.id)).rejects.toThrow(/was removed/);
  });

  it("registers Parquet through the engine's reader and names the row of an empty value", async () => {
    const { home, datasets } = registry();
    const file = join(home, 'sst2.parquet');
    const write = (sentences: (string | null)[]) =>
      writeFileSync(
        file,
        new Uint8Array(
          parquetWriteBuffer({
            columnData: [
              { name: 'sentence', data: sentences, type: 'STRING' },
              { name: 'label', data: sentences.map((_, i) => BigInt(i % 2)), type: 'INT64' },
            ],
          }),
        ),
      );
    write(['a gripping film', 'dull', 'warm']);
    const columns = { text: 'sentence', label: 'label' };
    const dataset = await datasets.register({
      name: 'sst2',
      path: file,
      task: 'sentiment',
      format: 'parquet',
      columns,
    });
    expect(dataset.stats).toMatchObject({ rows: 3, labelCounts: { '0': 2, '1': 1 } });
    write(['fine', null, 'warm']);
    await expect(datasets.register({ name: 'bad', path: file, task: 's', format: 'parquet', columns })).rejects.toThrow(
      `${file} row 1 field "sentence": empty value for the text column`,
    );
  });
});
