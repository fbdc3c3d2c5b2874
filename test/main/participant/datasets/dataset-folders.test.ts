/**
 * The API previews and registers datasets only from the allowed folders (home, and the folders the person
 * added), judged on real paths; the refusal names the path and says how to allow it.
 */
import { symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createParticipantApi } from '../../../../main/participant/api/participant-api.ts';
import { dispatch } from '../../../../main/participant/api/dispatch.ts';
import {
  allowedDatasetFolders,
  requireAllowedDatasetPath,
} from '../../../../main/participant/datasets/dataset-folders.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

function open() {
  const home = tempDir();
  node = openParticipantNode({ home });
  return { home, node, api: createParticipantApi(node) };
}

const registration = (path: string) => ({
  name: 'r',
  path,
  task: 'sentiment',
  format: 'csv' as const,
  columns: { text: 'text' },
});

describe('dataset folders', () => {
  it('refuses to preview or register a system file, and registers nothing', async () => {
    const { api, node } = open();
    const preview = await dispatch(api, 'datasets.preview', { path: '/etc/passwd', format: 'csv' });
    expect(preview).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^\/etc\/passwd is outside the folders/) as unknown },
    });
    const added = await dispatch(api, 'datasets.add', registration('/etc/passwd'));
    expect(added).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Dataset folders') as unknown },
    });
    expect(node.datasets.list()).toEqual([]);
  });

  it('allows a folder once the person adds it in settings, and keeps it across a reopen', async () => {
    const { home, api } = open();
    const file = writeSentimentCsv(home);
    expect(await dispatch(api, 'datasets.preview', { path: file, format: 'csv' })).toMatchObject({ ok: false });
    const settings = await dispatch(api, 'settings.set', { datasetFolders: [home] });
    expect(settings).toMatchObject({ ok: true, value: { datasetFolders: [home] } });
    expect(await dispatch(api, 'datasets.preview', { path: file, format: 'csv' })).toMatchObject({ ok: true });
    node?.close();
    node = openParticipantNode({ home });
    const reopened = createParticipantApi(node);
    expect(await dispatch(reopened, 'datasets.add', registration(file))).toMatchObject({
      ok: true,
      value: { status: 'ready' },
    });
  });

  it('refuses a missing file outside the folders as it refuses an existing one, so existence does not leak', async () => {
    const { home, node } = open();
    expect(() => requireAllowedDatasetPath(node.database.db, '/etc/no-such-file.csv', { home })).toThrow(
      /^\/etc\/no-such-file.csv is outside the folders/,
    );
    expect(requireAllowedDatasetPath(node.database.db, join(home, 'missing.csv'), { home })).toBe(
      join(home, 'missing.csv'),
    );
  });

  it('refuses a link inside an allowed folder that points outside it', async () => {
    const { home, node } = open();
    const link = join(home, 'innocent.csv');
    symlinkSync('/etc/passwd', link);
    expect(() => requireAllowedDatasetPath(node.database.db, link, { home })).toThrow(/is outside the folders/);
    expect(requireAllowedDatasetPath(node.database.db, writeSentimentCsv(home), { home })).toBe(
      join(home, 'reviews.csv'),
    );
  });

  it("starts from the user's home folder and refuses a relative folder in settings", async () => {
    const { api, node } = open();
    expect(allowedDatasetFolders(node.database.db)).toEqual([homedir()]);
    const reply = await dispatch(api, 'settings.set', { datasetFolders: ['data'] });
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringContaining('absolute path') as unknown } });
  });
});
