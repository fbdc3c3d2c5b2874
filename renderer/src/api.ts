/**
 * The renderer's one way to the participant: the Electron preload bridge when present,
 * otherwise the headless WebSocket. Failures arrive as envelopes and are thrown as ApiCallError.
 */
import { methodNames, type ApiError, type Envelope, type ParticipantApi } from '../../preload/contract.ts';
import { SocketTransport } from './lib/socket-transport.ts';

type Call = (method: string, payload: unknown) => Promise<Envelope<unknown>>;

declare global {
  interface Window {
    accord?: Record<string, (payload: unknown) => Promise<Envelope<unknown>>>;
  }
}

export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
  }
}

function pickTransport(): Call {
  const bridge = window.accord;
  if (bridge) {
    return (method, payload) => {
      const invoke = bridge[method];
      if (!invoke) return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: method } });
      return invoke(payload);
    };
  }
  const socket = new SocketTransport(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
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

export const api: ParticipantApi = createApi(pickTransport());
