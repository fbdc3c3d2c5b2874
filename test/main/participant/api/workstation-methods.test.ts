import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { setPickedDatasetFolders } from '../../../../main/participant/datasets/dataset-folders.ts';
import { verifyAuditEntries } from '../../../../main/participant/audit/audit-verify.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

function open() {
  const home = tempDir();
  node = openParticipantNode({ home });
  // Datasets are written to this temp folder, outside the user's home: allow it as a person would in settings.
  setPickedDatasetFolders(node.database.db, [home]);
  return { home, api: createParticipantApi(node) };
}

describe('datasets.preview', () => {
  it('shows the first rows with every value as text and the columns of the file', async () => {
    const { home, api } = open();
    const file = writeSentimentCsv(home, 'reviews.csv', 30);
    const reply = await dispatch(api, 'datasets.preview', { path: file, format: 'csv', limit: 5 });
    expect(reply.ok).toBe(true);
    const preview = (reply as { value: { rows: Record<string, string>[]; columns: string[]; issues: unknown[] } })
      .value;
    expect(preview.columns).toEqual(['text', 'label']);
    // writeSentimentCsv writes row i as "review number i, quite good|bad", i % 2.
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[3]).toEqual({ text: 'review number 3, quite good', label: '1' });
    expect(preview.issues).toEqual([]);
  });

  it('names the line of a broken row instead of failing the preview', async () => {
    const { home, api } = open();
    const file = join(home, 'broken.jsonl');
    writeFileSync(file, '{"text":"fine","label":1}\n{"text": oops}\n{"text":"also fine","label":0}\n');
    const reply = await dispatch(api, 'datasets.preview', { path: file, format: 'jsonl' });
    const preview = (reply as { value: { rows: unknown[]; issues: { line: number; file: string }[] } }).value;
    expect(preview.rows).toHaveLength(2);
    expect(preview.issues[0]).toMatchObject({ file, line: 2 });
  });

  it('refuses a file that does not exist, naming it', async () => {
    const { home, api } = open();
    const reply = await dispatch(api, 'datasets.preview', { path: join(home, 'nope.csv'), format: 'csv' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect((reply as { error: { message: string } }).error.message).toContain('nope.csv');
  });
});

describe('audit.export', () => {
  it('exports JSON whose entries re-verify, and a self-contained HTML page', async () => {
    const { home, api } = open();
    await api['datasets.add']({
      name: 'reviews',
      path: writeSentimentCsv(home),
      task: 'sentiment',
      format: 'csv',
      columns: { text: 'text', label: 'label' },
    });
    const json = await api['audit.export']({ format: 'json' });
    expect(json.fileName).toMatch(/^accord-audit-\d{4}-\d{2}-\d{2}\.json$/);
    const parsed = JSON.parse(json.content) as { entries: Parameters<typeof verifyAuditEntries>[0] };
    expect(parsed.entries.length).toBe(1);
    expect(verifyAuditEntries(parsed.entries).ok).toBe(true);
    const html = await api['audit.export']({ format: 'html' });
    expect(html.mediaType).toBe('text/html');
    expect(html.content).not.toContain('<script');
  });
});

describe('settings', () => {
  it('keeps settings across a reopen and honours the compute device in app.info', async () => {
    const { home, api } = open();
    expect(await api['settings.get']({})).toEqual({
      computeDevice: 'auto',
      startAtLogin: false,
      retainPayloads: false,
      datasetFolders: [home],
    });
    await dispatch(api, 'settings.set', { computeDevice: 'cpu', startAtLogin: true });
    node?.close();
    node = openParticipantNode({ home });
    const reopened = createParticipantApi(node);
    expect(await reopened['settings.get']({})).toEqual({
      computeDevice: 'cpu',
      startAtLogin: true,
      retainPayloads: false,
      datasetFolders: [home],
    });
    expect((await reopened['app.info']({})).selectedExecutionProvider).toBe('cpu');
  });

  it('refuses an unknown compute device', async () => {
    const { api } = open();
    const reply = await dispatch(api, 'settings.set', { computeDevice: 'tpu' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
