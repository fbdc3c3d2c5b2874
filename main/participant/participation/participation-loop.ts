/**
 * Takes part in one federation: long-polls the coordinator for a task, hands it to the round runner, and
 * backs off (exponentially, with jitter) when the coordinator cannot be reached or a round step fails, so a
 * participant can run unattended for weeks. The connection state it reports is what the UI shows.
 */
import type { ConnectionState } from '../../../preload/contract.ts';
import type { FederationLink } from '../coordinator-client/federation-link.ts';
import { backoffDelayMs, type RetryPolicy } from '../coordinator-client/retry-policy.ts';
import type { ParticipantLog } from '../logging/participant-log.ts';
import type { RoundRunner } from '../rounds/round-runner.ts';
import { roundKeyOf, terminalStates } from '../rounds/round-state.ts';

export interface ParticipationLoopOptions {
  readonly federationId: string;
  readonly link: Pick<FederationLink, 'pollTask'>;
  readonly runner: Pick<RoundRunner, 'handle' | 'round'>;
  readonly log: Pick<ParticipantLog, 'error'>;
  readonly onConnection: (state: ConnectionState) => void;
  /** Waits between polls while a round waits for a person, or after a round this participant finished. */
  readonly idleMs?: number;
  readonly backoff?: RetryPolicy;
  /** After this many failures in a row the coordinator is reported unreachable (still retried). */
  readonly unreachableAfter?: number;
}

const defaultBackoff: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Resolves after ms, or at once when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Rejects as soon as the signal aborts, even if the call itself is still in flight. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class ParticipationLoop {
  readonly #options: ParticipationLoopOptions;
  readonly #abort = new AbortController();
  #connection: ConnectionState = { state: 'connecting' };
  #done: Promise<void> | undefined;

  constructor(options: ParticipationLoopOptions) {
    this.#options = options;
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  start(): void {
    this.#done ??= this.#run();
  }

  /** Stops polling; a round step in flight finishes on its own (it is persisted step by step). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done;
    this.#set({ state: 'stopped' });
  }

  #set(state: ConnectionState): void {
    if (state.state === 'connected' && this.#connection.state === 'connected') return;
    this.#connection = state;
    this.#options.onConnection(state);
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const backoff = this.#options.backoff ?? defaultBackoff;
    let failures = 0;
    while (!signal.aborted) {
      let roundKey: string | undefined;
      try {
        const task = await untilAborted(this.#options.link.pollTask(signal), signal);
        failures = 0;
        this.#set({ state: 'connected', since: new Date().toISOString() });
        if (!task || signal.aborted) continue;
        roundKey = roundKeyOf(task.federationId, task.roundId);
        const known = this.#options.runner.round(roundKey);
        const round = await this.#options.runner.handle(task);
        // The coordinator offers a round until it is answered: wait rather than poll in a tight loop.
        if (!terminalStates.has(round.state) || (known && terminalStates.has(known.state)))
          await pause(this.#options.idleMs ?? 2000, signal);
      } catch (error) {
        if (signal.aborted) break;
        const what = roundKey ? 'round step failed' : 'polling the coordinator failed';
        this.#options.log.error(what, error, { federationId: this.#options.federationId, roundKey });
        failures += 1;
        const delay = Math.max(backoff.baseDelayMs, backoffDelayMs(backoff, failures));
        const message = error instanceof Error ? error.message : String(error);
        const nextAttemptAt = new Date(Date.now() + delay).toISOString();
        if (failures >= (this.#options.unreachableAfter ?? 5)) {
          const since = this.#connection.state === 'unreachable' ? this.#connection.since : new Date().toISOString();
          this.#connection = { state: 'unreachable', error: message, since, nextAttemptAt };
        } else this.#connection = { state: 'retrying', error: message, attempt: failures, nextAttemptAt };
        this.#options.onConnection(this.#connection);
        await pause(delay, signal);
      }
    }
  }
}
