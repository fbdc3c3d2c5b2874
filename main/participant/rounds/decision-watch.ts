/**
 * Wakes the round runner when a waiting round is decided without it: by a person in another process (the CLI
 * writes to the same database) or by its deadline passing while nobody looks.
 */
import type { RoundStore } from './round-store.ts';
import type { RoundRecord } from './round-store.ts';

export class DecisionWatch {
  readonly store: RoundStore;
  readonly pollMs: number;
  readonly onDecided: (round: RoundRecord) => void;
  readonly onDeadline: (roundKey: string) => void;
  readonly waiting = new Set<string>();
  readonly deadlines = new Map<string, NodeJS.Timeout>();
  poller: NodeJS.Timeout | undefined;

  constructor(
    store: RoundStore,
    pollMs: number,
    onDecided: (round: RoundRecord) => void,
    onDeadline: (roundKey: string) => void,
  ) {
    this.store = store;
    this.pollMs = pollMs;
    this.onDecided = onDecided;
    this.onDeadline = onDeadline;
  }

  watch(round: RoundRecord, now: Date): void {
    this.waiting.add(round.roundKey);
    if (!this.poller) {
      this.poller = setInterval(() => this.poll(), this.pollMs);
      this.poller.unref();
    }
    if (this.deadlines.has(round.roundKey)) return;
    const delay = Math.max(0, Date.parse(round.task.deadline) - now.getTime());
    const timer = setTimeout(() => this.onDeadline(round.roundKey), Math.min(delay + 1, 2 ** 31 - 1));
    timer.unref();
    this.deadlines.set(round.roundKey, timer);
  }

  /** The runner saw the decision itself: no need to report it again. */
  forget(roundKey: string): void {
    this.waiting.delete(roundKey);
    clearTimeout(this.deadlines.get(roundKey));
    this.deadlines.delete(roundKey);
    if (this.waiting.size === 0) this.stop();
  }

  poll(): void {
    if (!this.store.db.open) return this.stop();
    for (const roundKey of [...this.waiting]) {
      const round = this.store.get(roundKey);
      if (!round || round.state === 'awaiting_approval') continue;
      this.forget(roundKey);
      this.onDecided(round);
    }
  }

  stop(): void {
    clearInterval(this.poller);
    this.poller = undefined;
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }
}
