/**
 * A bound on how long reading a dataset file may take, checked between records: a preview or a registration
 * that cannot finish in time ends with an error that says so, instead of leaving the person waiting.
 */
export class DatasetReadTimeoutError extends Error {
  constructor(what: string, seconds: number) {
    super(
      `${what} did not finish within ${seconds} s: is the file on a slow or remote disk, or far larger than expected?`,
    );
    this.name = 'DatasetReadTimeoutError';
  }
}

export class ReadDeadline {
  readonly what: string;
  readonly ms: number;
  readonly #endsAt: number;
  constructor(what: string, ms: number, now: number = Date.now()) {
    this.what = what;
    this.ms = ms;
    this.#endsAt = now + ms;
  }

  check(now: number = Date.now()): void {
    if (now >= this.#endsAt) throw new DatasetReadTimeoutError(this.what, this.ms / 1000);
  }
}

/** How long a preview and a registration may read: a preview reads a file's start, a registration all of it. */
export const previewTimeoutMs = 15_000;
export const registrationTimeoutMs = 30 * 60_000;
