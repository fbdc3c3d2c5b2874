/**
 * Reads that could run without end get a clear answer: a device is refused as not a regular file, an endless
 * line stops at the line bound naming its line, and a read past its time bound says so.
 */
import { openSync, closeSync, ftruncateSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';
import { previewDataset } from '../../../../main/participant/datasets/dataset-preview.ts';
import { DatasetRegistry } from '../../../../main/participant/datasets/dataset-registry.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

/** A node whose API may read the temp folder and /dev (so that only the file kind decides). */
async function open() {
  const home = tempDir();
  node = openParticipantNode({ home });
  const api = createParticipantApi(node);
  await api['settings.set']({ datasetFolders: [home, '/dev'] });
  return { home, api, node };
}

const registration = (path: string) => ({
  name: 'r',
  path,
  task: 'sentiment',
  format: 'csv' as const,
  columns: { text: 'text' },
});

function sparseFile(path: string, bytes: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe('bounded dataset reads', () => {
  it('refuses /dev/zero as a device for preview and registration', async () => {
    const { api } = await open();
    for (const reply of [
      await dispatch(api, 'datasets.preview', { path: '/dev/zero', format: 'csv' }),
      await dispatch(api, 'datasets.add', registration('/dev/zero')),
    ]) {
      expect(reply).toMatchObject({
        ok: false,
        error: { message: '/dev/zero is a device: Accord reads datasets only from regular files' },
      });
    }
  });

  it('stops a 2 GB file of NUL bytes at the first line, naming it, for preview and registration', async () => {
    const { home, api, node } = await open();
    const file = sparseFile(join(home, 'zeros.csv'), 2 * 1024 ** 3);
    try {
      const message = `${file}:1: the line is longer than`;
      const preview = await dispatch(api, 'datasets.preview', { path: file, format: 'csv' });
      expect(preview).toMatchObject({ ok: false, error: { message: expect.stringContaining(message) as unknown } });
      const added = await dispatch(api, 'datasets.add', registration(file));
      expect(added).toMatchObject({ ok: false, error: { message: expect.stringContaining(message) as unknown } });
      expect(node.datasets.list()).toEqual([]);
    } finally {
      rmSync(file);
    }
  });

  it('names the 100 MB line of a JSON Lines file instead of reading it whole', async () => {
    const { home, api } = await open();
    const file = join(home, 'one-line.jsonl');
    writeFileSync(file, `{"text":"fine"}\n{"text":"${'x'.repeat(100 * 1024 * 1024)}"}\n`);
    try {
      const reply = await dispatch(api, 'datasets.preview', { path: file, format: 'jsonl' });
      expect(reply).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(`${file}:2: the line is longer than`) as unknown },
      });
    } finally {
      rmSync(file);
    }
  });

  it('ends a preview or a registration that runs past its time bound with an error that says so', async () => {
    const { home, node } = await open();
    const file = writeSentimentCsv(home);
    await expect(previewDataset(file, 'csv', { timeoutMs: 0 })).rejects.toThrow(
      `the preview of ${file} did not finish within 0 s`,
    );
    const registry = new DatasetRegistry(node.database.db, node.audit, 0);
    await expect(registry.register(registration(file))).rejects.toThrow(`checking ${file} did not finish within 0 s`);
    expect(registry.list()).toEqual([]);
  });
});
