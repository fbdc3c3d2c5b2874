/**
 * `datasets.pick` in the desktop app: the native file dialog. A file the person picks there is their choice, so
 * its folder joins the allowed dataset folders (main/participant/datasets/dataset-folders.ts).
 */
import { dialog, type BrowserWindow } from 'electron';
import { dirname } from 'node:path';
import { addPickedDatasetFolder } from '../participant/datasets/dataset-folders.ts';
import type { SqliteDatabase } from '../participant/store/participant-database.ts';

const dataFileExtensions = ['csv', 'tsv', 'tab', 'jsonl', 'ndjson', 'parquet'];

export async function pickDatasetFile(window: BrowserWindow, db: SqliteDatabase): Promise<{ path: string | null }> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Choose a dataset file',
    properties: ['openFile'],
    filters: [{ name: 'Data files', extensions: dataFileExtensions }],
  });
  const path = result.canceled ? undefined : result.filePaths[0];
  if (!path) return { path: null };
  addPickedDatasetFolder(db, dirname(path));
  return { path };
}
