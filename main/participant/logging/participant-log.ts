/**
 * The participant node's log: one JSON object per line in <data folder>/logs/participant.log, rotated by
 * size (participant.log.1 is the newest old file). Written synchronously, so the line about a failure is on
 * disk even if the process dies right after it. Errors that a round or a loop cannot act on are logged
 * here with their federation and round key instead of being dropped.
 */
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateFolder } from '../store/private-files.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface ParticipantLogOptions {
  /** A file is rotated before a line would take it past this size. */
  readonly maxBytes?: number;
  /** Files kept, the current one included. */
  readonly files?: number;
}

export const logFileName = 'participant.log';

export function participantLogFile(home: string): string {
  return join(home, 'logs', logFileName);
}

function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, errorName: error.name, stack: error.stack };
  return { error: String(error) };
}

export class ParticipantLog {
  readonly file: string;
  readonly maxBytes: number;
  readonly files: number;
  #size: number;

  constructor(file: string, options: ParticipantLogOptions = {}) {
    this.file = file;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.files = Math.max(1, options.files ?? 5);
    ensurePrivateFolder(dirname(file));
    this.#size = sizeOf(file);
  }

  info(message: string, fields: LogFields = {}): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.write('warn', message, fields);
  }

  /** Logs a failure with its message and stack; fields name what failed (federation, round key). */
  error(message: string, error: unknown, fields: LogFields = {}): void {
    this.write('error', message, { ...fields, ...errorFields(error) });
  }

  write(level: LogLevel, message: string, fields: LogFields): void {
    const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }) + '\n';
    const bytes = Buffer.byteLength(line);
    try {
      if (this.#size > 0 && this.#size + bytes > this.maxBytes) this.#rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
      this.#size += bytes;
    } catch (error) {
      // The log must never break the round it describes; the process warning is the last resort.
      process.emitWarning(`participant log ${this.file} is not writable: ${(error as Error).message}`);
    }
  }

  #rotate(): void {
    rmSync(`${this.file}.${this.files - 1}`, { force: true });
    for (let index = this.files - 2; index >= 1; index--)
      moveIfPresent(`${this.file}.${index}`, `${this.file}.${index + 1}`);
    if (this.files > 1) moveIfPresent(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
    this.#size = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function moveIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
