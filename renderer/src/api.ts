/**
 * The renderer's one way to the participant: the Electron preload bridge when present,
 * otherwise the headless WebSocket. Failures arrive as envelopes and are thrown as ApiCallError.
 * Events (round.state, training.progress, approvals.waiting) reach subscribers parsed by the contract.
 */
import {
  eventNames,
  events as eventSchemas,
  methodNames,
  type ApiError,
  type Envelope,
  type EventName,
  type EventOf,
  type ParticipantApi,
} from '../../preload/contract.ts';
import { SocketTransport } from './lib/socket-transport.ts';

type Call = (method: string, payload: unknown) => Promise<Envelope<unknown>>;
type Relay = (event: string, data: unknown) => void;
type BridgeOn = Record<string, (listener: (data: unknown) => void) => () => void>;

declare global {
  interface Window {
    accord?: Record<string, unknown> & { on?: BridgeOn };
  }
}

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
  }
}

/** Subscribes to one contract event; returns the unsubscribe function. */
export type Subscribe = <E extends EventName>(event: E, listener: (data: EventOf<E>) => void) => () => void;

const listeners = new Set<{ event: EventName; listener: (data: never) => void }>();

function relay(event: string, data: unknown): void {
  if (!eventNames.includes(event as EventName)) return;
  const parsed = eventSchemas[event as EventName].safeParse(data);
  if (!parsed.success) return;
  for (const entry of listeners) if (entry.event === event) entry.listener(parsed.data as never);
}

function pickTransport(onEvent: Relay): Call {
  const bridge = window.accord;
  if (bridge) {
    for (const event of eventNames) bridge.on?.[event]?.((data) => onEvent(event, data));
    return (method, payload) => {
      const invoke = bridge[method] as ((payload: unknown) => Promise<Envelope<unknown>>) | undefined;
      if (!invoke) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: method } });
      return invoke(payload);
    };
  }
  const socket = new SocketTransport(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
  socket.onEvent = onEvent;
  return (method, payload) => socket.call(method, payload);
}

function createApi(call: Call): ParticipantApi {
  const api: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of methodNames) {
    api[method] = async (request: unknown) => {
      const envelope = await call(method, request ?? {});
      if (!envelope.ok) throw new ApiCallError(envelope.error);
      return envelope.value;
    };
  }
  return api as ParticipantApi;
}

export const api: ParticipantApi = createApi(pickTransport(relay));

export const subscribe: Subscribe = (event, listener) => {
  const entry = { event, listener: listener as (data: never) => void };
  listeners.add(entry);
  return () => listeners.delete(entry);
};
