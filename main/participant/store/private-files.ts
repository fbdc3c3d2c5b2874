/**
 * The node's data is its owner's alone: folders 0700 and files 0600 on POSIX, applied also to a folder or file
 * that already existed with a wider mode. SQLite gives a database's -wal and -shm files the database's own mode.
 * On Windows modes do not apply: the data folder under %APPDATA% inherits the profile's ACL (the user, SYSTEM
 * and Administrators only).
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

const posix = process.platform !== 'win32';

export function ensurePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (posix) chmodSync(path, 0o700);
}

/** Creates the file empty when missing. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  if (posix) chmodSync(path, 0o600);
}
