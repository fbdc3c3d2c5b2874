/**
 * A dataset is a regular file: a device (/dev/zero), a pipe or a folder would be read forever or not at all,
 * so each is refused by name before any reader opens it.
 */
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface DatasetFileState {
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

/** The file's absolute path, size and modification time; throws a clear error unless it is a regular file. */
export function requireRegularFile(path: string): DatasetFileState {
  const file = resolve(path);
  let info: Stats;
  try {
    info = statSync(file);
  } catch {
    throw new Error(`dataset file not found: ${file}`);
  }
  if (!info.isFile()) {
    throw new Error(`${file} is ${kindOf(info)}: Accord reads datasets only from regular files`);
  }
  return { path: file, sizeBytes: info.size, mtimeMs: info.mtimeMs };
}
