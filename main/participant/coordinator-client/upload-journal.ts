/**
 * Where the client remembers an upload in progress (and its receipt), so a restarted process resumes
 * the same upload id with the same bytes rather than starting another. The participant's store
 * implements this; FileUploadJournal is a small JSON-file implementation.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UploadReceipt } from '../../../protocol/receipt.ts';

export interface UploadJournalEntry {
  readonly uploadId: string;
  readonly roundId: string;
  readonly sha256: string;
  readonly totalBytes: number;
  /** Bytes the coordinator has acknowledged. */
  readonly confirmedBytes: number;
  readonly receipt?: UploadReceipt;
}

export interface UploadJournal {
  get(uploadId: string): UploadJournalEntry | undefined;
  put(entry: UploadJournalEntry): void;
}

export class FileUploadJournal implements UploadJournal {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  #read(): Record<string, UploadJournalEntry> {
    try {
      return JSON.parse(readFileSync(this.#path, 'utf8')) as Record<string, UploadJournalEntry>;
    } catch {
      return {};
    }
  }

  get(uploadId: string): UploadJournalEntry | undefined {
    return this.#read()[uploadId];
  }

  put(entry: UploadJournalEntry): void {
    const entries = { ...this.#read(), [entry.uploadId]: entry };
    writeFileSync(`${this.#path}.tmp`, JSON.stringify(entries));
    renameSync(`${this.#path}.tmp`, this.#path);
  }
}
