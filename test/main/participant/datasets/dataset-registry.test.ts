import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('refuses a file with broken quoting and bytes that are not UTF-8, listing every problem at its line', async () => {
    const { home, datasets } = registry();
    const file = join(home, 'broken.csv');
    const text = 'text,label\n"good one",1\nfine,0\n"broken start,1\nline five,0\n"six",1\nseven,0\n';
    writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a])]));
    const attempt = datasets.register({ name: 'b', path: file, task: 's', format: 'csv', columns: mapping });
    await expect(attempt).rejects.toBeInstanceOf(DatasetValidationError);
    const error = (await attempt.catch((caught: unknown) => caught)) as DatasetValidationError;
    expect(error.issues.map((issue) => [issue.line, issue.problem])).toEqual([
      [4, expect.stringMatching(/field 1 opens a quote/) as unknown],
      [8, expect.stringMatching(/not valid UTF-8/) as unknown],
    ]);
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file}:4: field 1 opens a quote`)) as unknown,
      expect.stringMatching(new RegExp(`^${file}:8: is not valid UTF-8`)) as unknown,
    ]);
    expect(datasets.list()).toEqual([]);
  });

  it('reports an unclosed quote at the line where it opens', async () => {
    const { home, datasets } = registry();
    const file = join(home, 'unclosed.csv');
    writeFileSync(file, 'text,label\ngood,1\nfine,0\n"never closed,1\nmore,0\nend,1\n');
    await expect(
      datasets.register({ name: 'u', path: file, task: 's', format: 'csv', columns: mapping }),
    ).rejects.toThrow(new RegExp(`^${file}:4: Quote Not Closed`));
  });

  it('shows a file edited after registration as changed when listing, and a file only touched as ready', async () => {
    const { home, datasets, store } = registry();
    const file = writeSentimentCsv(home);
    const dataset = await datasets.register({ name: 'r', path: file, task: 's', format: 'csv', columns: mapping });
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    expect((await datasets.listChecked()).map((d) => d.status)).toEqual(['ready']);
    // Same size, new bytes: only the sha256 can tell, and listing computes it because the mtime moved.
    writeFileSync(file, readFileSync(file, 'utf8').replace('review number 0', 'REVIEW NUMBER 0'));
    expect((await datasets.listChecked()).map((d) => d.status)).toEqual(['changed']);
    const audit = store.db.prepare("SELECT data FROM audit WHERE kind = 'dataset' ORDER BY seq DESC LIMIT 1").get() as {
      data: string;
    };
    expect(JSON.parse(audit.data)).toMatchObject({
      action: 'changed',
      datasetId: dataset.id,
      confirmedSha256: dataset.sha256,
    });
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
