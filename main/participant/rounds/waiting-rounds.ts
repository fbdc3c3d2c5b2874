/**
 * The rounds that wait for a person, and what ends a wait without this process's consent desk: the round
 * deadline (one timer per waiting round) and a decision that another process (the `accord participant
 * approve` CLI) committed to the same database.
 *
 * Another process's commit is noticed without polling: every commit of any connection writes the
 * database's write-ahead log, so fs.watch on the -wal file fires, and `PRAGMA data_version` (which changes
 * only when another connection committed) filters out this process's own writes. The node's open
 * connection keeps the -wal file in place. If the file cannot be watched, the wait still ends: the
 * coordinator offers the round again on the next long-poll and the runner then sees the decision.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { SqliteDatabase } from '../store/participant-database.ts';

export interface WaitingRoundsOptions {
  readonly db: SqliteDatabase;
  readonly log: ParticipantLog;
  /** The round's deadline passed. */
  readonly onDeadline: (roundKey: string) => void;
  /** Another connection committed: the round may have been decided there. */
  readonly onForeignCommit: (roundKey: string) => void;
}

// setTimeout's largest delay; a later deadline is re-armed when this one fires.
const longestTimerMs = 2 ** 31 - 1;

export class WaitingRounds {
  readonly #options: WaitingRoundsOptions;
  readonly #deadlines = new Map<string, NodeJS.Timeout>();
  #watcher: FSWatcher | undefined;
  #dataVersion = 0;

  constructor(options: WaitingRoundsOptions) {
    this.#options = options;
  }

  get roundKeys(): string[] {
    return [...this.#deadlines.keys()];
  }

  wait(roundKey: string, deadline: string, now: Date): void {
    if (this.#deadlines.has(roundKey)) return;
    const delay = Math.max(0, Date.parse(deadline) - now.getTime());
    // One millisecond past the deadline: the round expires only once the deadline has passed.
    const timer = setTimeout(() => this.#deadlineDue(roundKey), Math.min(delay + 1, longestTimerMs));
    timer.unref();
    this.#deadlines.set(roundKey, timer);
    this.#watchDatabase();
    // A commit between the runner's last look and the watch starting would otherwise go unseen.
    setImmediate(
      () => this.#deadlines.has(roundKey) && this.#options.db.open && this.#options.onForeignCommit(roundKey),
    );
  }

  /** The round no longer waits (decided, or closed). */
  done(roundKey: string): void {
    clearTimeout(this.#deadlines.get(roundKey));
    this.#deadlines.delete(roundKey);
    if (this.#deadlines.size === 0) this.#unwatch();
  }

  stop(): void {
    for (const timer of this.#deadlines.values()) clearTimeout(timer);
    this.#deadlines.clear();
    this.#unwatch();
  }

  #deadlineDue(roundKey: string): void {
    this.#deadlines.delete(roundKey);
    if (this.#deadlines.size === 0) this.#unwatch();
    if (this.#options.db.open) this.#options.onDeadline(roundKey);
  }

  #watchDatabase(): void {
    const { db, log } = this.#options;
    if (this.#watcher || db.memory) return;
    const wal = `${db.name}-wal`;
    try {
      this.#dataVersion = this.#version();
      this.#watcher = watch(wal, { persistent: false }, () => this.#changed());
      this.#watcher.on('error', (error) => {
        log.warn('stopped watching the database for decisions made by another process', {
          file: wal,
          error: error.message,
        });
        this.#unwatch();
      });
    } catch (error) {
      log.error('cannot watch the database for decisions made by another process', error, { file: wal });
    }
  }

  #changed(): void {
    if (!this.#options.db.open) return this.stop();
    const version = this.#version();
    if (version === this.#dataVersion) return;
    this.#dataVersion = version;
    for (const roundKey of this.roundKeys) this.#options.onForeignCommit(roundKey);
  }

  #version(): number {
    return this.#options.db.pragma('data_version', { simple: true }) as number;
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
