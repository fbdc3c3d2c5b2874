import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatasetsController,
  formatFromPath,
  guessColumn,
  nameFromPath,
} from '../../../../renderer/src/views/datasets/datasets.svelte.ts';
import { openParticipantNode, type ParticipantNode } from '../../../../main/participant/participant-node.ts';
import { setPickedDatasetFolders } from '../../../../main/participant/datasets/dataset-folders.ts';
import { tempDir, writeSentimentCsv } from '../../../support/participant-fixtures.ts';
import { dispatchedApi } from '../../../support/renderer-api.ts';

let node: ParticipantNode | undefined;
afterEach(() => node?.close());

function controller() {
  const home = tempDir('accord-ui-datasets-');
  node = openParticipantNode({ home });
  setPickedDatasetFolders(node.database.db, [home]);
  return { home, datasets: new DatasetsController(dispatchedApi(node)) };
}

describe('column and format proposals', () => {
  it('reads the format from the extension and proposes the usual column names', () => {
    expect(formatFromPath('/d/Reviews.TSV')).toBe('tsv');
    expect(formatFromPath('/d/x.ndjson')).toBe('jsonl');
    expect(formatFromPath('/d/notes.txt')).toBeUndefined();
    expect(guessColumn(['id', 'Review', 'sentiment'], 'text')).toBe('Review');
    expect(guessColumn(['id', 'Review', 'sentiment'], 'label')).toBe('sentiment');
    expect(guessColumn(['a', 'b'], 'label')).toBe('');
    expect(nameFromPath('C:\\data\\clinic notes.csv')).toBe('clinic notes');
  });
});

describe('DatasetsController', () => {
  it('previews a file, maps its columns and registers it with its statistics', async () => {
    const { home, datasets } = controller();
    datasets.setPath(writeSentimentCsv(home, 'reviews.csv', 12));
    expect(datasets.name).toBe('reviews');
    expect(datasets.canRegister).toBe(false);
    await datasets.loadPreview();
    expect(datasets.preview?.rows).toHaveLength(10);
    expect([datasets.textColumn, datasets.labelColumn]).toEqual(['text', 'label']);
    const registered = await datasets.register();
    // writeSentimentCsv alternates labels 0, 1: 12 rows → 6 of each.
    expect(registered?.stats.labelCounts).toEqual({ '0': 6, '1': 6 });
    expect(datasets.datasets.map((d) => d.name)).toEqual(['reviews']);
    expect(datasets.status).toContain('12 rows');
    expect(datasets.preview).toBeUndefined();
  });

  it("keeps a bad file's line and field, and registers nothing", async () => {
    const { home, datasets } = controller();
    const file = join(home, 'bad.csv');
    writeFileSync(file, 'text,label\ngood,1\n,0\n');
    datasets.setPath(file);
    await datasets.loadPreview();
    expect(await datasets.register()).toBeUndefined();
    expect(datasets.problem).toMatchObject({ file, line: 3, field: 'text' });
    expect(node?.datasets.list()).toEqual([]);
  });

  it('keeps every problem of a refused file, each with its line', async () => {
    const { home, datasets } = controller();
    const file = join(home, 'broken.csv');
    writeFileSync(file, 'text,label\ngood,1\n,0\nfine,1\n"opens,1\nhere,0\n"then text,1\nlast,0\n');
    datasets.setPath(file);
    await datasets.loadPreview();
    expect(await datasets.register()).toBeUndefined();
    expect(datasets.problems.map((problem) => problem.line)).toEqual([3, 5]);
    expect(datasets.problems[0]).toMatchObject({ file, field: 'text' });
    expect(node?.datasets.list()).toEqual([]);
  });

  it('says, outside the desktop app, that the file dialog is not there and the path is to be typed', async () => {
    const { datasets } = controller();
    await datasets.pickFile();
    expect(datasets.formError).toContain('the file dialog is in the desktop app only');
    expect(datasets.path).toBe('');
  });

  it('says when a file does not exist, as a message rather than a line', async () => {
    const { home, datasets } = controller();
    datasets.setPath(join(home, 'missing.csv'));
    await datasets.loadPreview();
    expect(datasets.formError).toContain('missing.csv');
    expect(datasets.problem).toBeUndefined();
  });

  it('replaces a proposed name when the path changes, but never a name the person typed', () => {
    const { datasets } = controller();
    datasets.setPath('/d/first.csv');
    datasets.setPath('/d/second.csv');
    expect(datasets.name).toBe('second');
    datasets.name = 'Clinic notes';
    datasets.setPath('/d/third.csv');
    expect(datasets.name).toBe('Clinic notes');
  });

  it('removes a dataset from the list', async () => {
    const { home, datasets } = controller();
    datasets.setPath(writeSentimentCsv(home));
    await datasets.loadPreview();
    const registered = await datasets.register();
    await datasets.remove(registered!.id);
    expect(datasets.datasets).toEqual([]);
  });
});
