/** The participant's events (contract `events`): services emit, each transport forwards to its clients. */
import type { EventName, EventOf } from '../../../preload/contract.ts';

export type EventListener<E extends EventName> = (data: EventOf<E>) => void;
type AnyListener = (event: EventName, data: unknown) => void;

/** Where a failing subscriber is reported (the participant log; a process warning when there is none). */
export type ListenerFailure = (event: EventName, error: unknown) => void;

const warnProcess: ListenerFailure = (event, error) =>
  process.emitWarning(`event listener for ${event} failed: ${(error as Error).message}`);

export class EventBus {
  readonly listeners: AnyListener[] = [];
  readonly #onListenerFailure: ListenerFailure;

  constructor(onListenerFailure: ListenerFailure = warnProcess) {
    this.#onListenerFailure = onListenerFailure;
  }

  emit<E extends EventName>(event: E, data: EventOf<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, data);
      } catch (error) {
        // A faulty subscriber (a closed window) must never break the round that emitted.
        this.#onListenerFailure(event, error);
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: AnyListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    return this.subscribe((name, data) => {
      if (name === event) listener(data as EventOf<E>);
    });
  }
}
