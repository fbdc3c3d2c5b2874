/**
 * The folders this site lets the app read datasets from, through the API (preview and registration): the
 * user's home folder and the folders the person picked (file dialog) or set in settings. A path outside them is
 * refused before it is opened, so that the app never shows the contents of a system file. The one place the
 * list is made: a managed policy's folders replace it (home folder included). The CLI, run by someone with a
 * shell, is held to the managed policy's folders only.
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ManagedPolicy } from '../policy/managed-policy-schema.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';

const settingKey = 'dataset_folders';

export class DatasetPathRefusedError extends Error {
  constructor(path: string, folders: readonly string[], policyFile?: string) {
    super(
      `${path} is outside the folders Accord may read datasets from (${folders.join(', ')}): ` +
        (policyFile
          ? `they are set by the managed policy ${policyFile}`
          : 'add its folder under Settings → This workstation → Dataset folders'),
    );
    this.name = 'DatasetPathRefusedError';
  }
}

/** The folders the person added (settings or file dialog), in the order they were added. */
export function pickedDatasetFolders(db: SqliteDatabase): string[] {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey) as { value: string } | undefined;
  const value: unknown = row ? JSON.parse(row.value) : [];
  return Array.isArray(value) ? value.filter((folder): folder is string => typeof folder === 'string') : [];
}

/** Replaces the person's folders; each must be an absolute path. */
export function setPickedDatasetFolders(db: SqliteDatabase, folders: readonly string[]): void {
  const relativeOne = folders.find((folder) => !isAbsolute(folder));
  if (relativeOne !== undefined) throw new Error(`a dataset folder must be an absolute path, got "${relativeOne}"`);
  const unique = [...new Set(folders.map((folder) => resolve(folder)))];
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(settingKey, JSON.stringify(unique));
}

/** Adds the folder of a file the person picked in the file dialog. */
export function addPickedDatasetFolder(db: SqliteDatabase, folder: string): void {
  setPickedDatasetFolders(db, [...pickedDatasetFolders(db), folder]);
}

export interface DatasetFolderScope {
  /** The user's home folder (allowed unless a managed policy sets the folders). */
  readonly home?: string;
  readonly policy?: ManagedPolicy;
}

export function allowedDatasetFolders(db: SqliteDatabase, scope: DatasetFolderScope = {}): string[] {
  if (scope.policy?.datasetFolders) return [...scope.policy.datasetFolders];
  return [scope.home ?? homedir(), ...pickedDatasetFolders(db)];
}

function inside(folder: string, file: string): boolean {
  const path = relative(folder, file);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

/** A path as the file system resolves it (links followed); as written when it does not exist. */
function realOrWritten(path: string): string {
  return existsSync(path) ? realpathSync.native(path) : path;
}

/**
 * The file's absolute path when it lies inside an allowed folder, judged on real paths (links resolved, so a
 * link in the home folder to a system file is refused); throws DatasetPathRefusedError otherwise. A missing
 * file inside an allowed folder is left to the caller, which says it is missing; outside them it is refused
 * the same way as one that exists, so the answer never tells whether a file exists there.
 */
export function requireAllowedDatasetPath(db: SqliteDatabase, path: string, scope: DatasetFolderScope = {}): string {
  const file = resolve(path);
  const folders = allowedDatasetFolders(db, scope);
  const real = realOrWritten(file);
  if (!folders.some((folder) => inside(realOrWritten(resolve(folder)), real)))
    throw new DatasetPathRefusedError(file, folders, scope.policy?.datasetFolders && scope.policy.file);
  return file;
}
