/**
 * Wakes long-polls when round state changes. Each waiter is released by the next change, by its
 * timeout or by its abort signal, whichever comes first.
 */
import { EventEmitter } from 'node:events';

export class ChangeSignal {
  readonly #changes = new EventEmitter();

  constructor() {
    // One listener per waiting long-poll: their number follows the number of participants.
    this.#changes.setMaxListeners(0);
  }

  notify(): void {
    this.#changes.emit('change');
  }

  /** Waits until the next notify() or `ms` pass or `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#changes.off('change', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#changes.once('change', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
