/**
 * Forwards the participant's events to a transport (an Electron window, a headless socket), each payload
 * parsed with the contract's schema first, so both transports push exactly what the contract promises.
 */
import { events as eventSchemas, type EventName } from '../../../preload/contract.ts';
import type { EventBus } from '../events/event-bus.ts';

export type EventSink = (event: EventName, data: unknown) => void;

/** The IPC channel of an event: apart from the method channels, so a renderer cannot invoke one. */
export function eventChannel(event: EventName): string {
  return `event:${event}`;
}

/** Subscribes `sink` to every event; returns the unsubscribe function. */
export function forwardEvents(bus: EventBus, sink: EventSink): () => void {
  return bus.subscribe((event, data) => {
    const parsed = eventSchemas[event].safeParse(data);
    if (parsed.success) sink(event, parsed.data);
    else process.emitWarning(`event ${event} does not match the contract; not sent`);
  });
}
