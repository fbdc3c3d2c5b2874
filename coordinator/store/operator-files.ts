/**
 * The coordinator's data is its operator's alone: folders 0700 and the store 0600 on POSIX, applied also to
 * ones that already existed with a wider mode (a folder made by hand, or by an older version). Windows keeps
 * the ACL the data folder inherits.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

const posix = process.platform !== 'win32';

export function ensureOperatorFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (posix) chmodSync(path, 0o700);
}

/** Creates the file empty when missing; SQLite gives a database's -wal and -shm files its mode. */
export function ensureOperatorFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  if (posix) chmodSync(path, 0o600);
}
