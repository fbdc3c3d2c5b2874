/**
 * The ParticipantApi over a WebSocket: {id, method, payload} in, {id, ok, value | error} out; the
 * participant's events are pushed as {event, data} frames (no id, so they never look like a reply).
 * The same dispatch as Electron's IPC, so both transports validate identically.
 */
import type { WebSocket } from 'ws';
import type { ParticipantApi } from '../../preload/contract.ts';
import { dispatch } from '../participant/api/dispatch.ts';
import { forwardEvents } from '../participant/api/event-forwarding.ts';
import type { EventBus } from '../participant/events/event-bus.ts';

const maxMessageBytes = 1024 * 1024;

interface ApiRequestFrame {
  id: number;
  method: string;
  payload?: unknown;
}

function parseFrame(data: string): ApiRequestFrame | undefined {
  try {
    const frame = JSON.parse(data) as Partial<ApiRequestFrame>;
    if (typeof frame.id === 'number' && typeof frame.method === 'string') return frame as ApiRequestFrame;
  } catch {
    // fall through: answered below as a bad request
  }
  return undefined;
}

/** Called when a client sent a frame the socket refused (too big, invalid UTF-8): that socket only is closed. */
export type SocketErrorReport = (error: Error) => void;

export function serveApiSocket(
  socket: WebSocket,
  api: ParticipantApi,
  events?: EventBus,
  onBadFrame?: SocketErrorReport,
): void {
  // ws closes the socket itself (1009 too big, 1007 invalid UTF-8) and then emits 'error': without a listener
  // that event would be thrown and end the whole node, training and participation with it.
  socket.on('error', (error) => onBadFrame?.(error));
  if (events) {
    const stop = forwardEvents(events, (event, data) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, data }));
    });
    socket.on('close', stop);
  }
  socket.on('message', (raw, isBinary) => {
    const text = raw.toString();
    const frame = !isBinary && text.length <= maxMessageBytes ? parseFrame(text) : undefined;
    if (!frame) {
      const error = { code: 'bad_request', message: 'expected a JSON frame {id: number, method: string, payload}' };
      socket.send(JSON.stringify({ id: null, ok: false, error }));
      return;
    }
    void dispatch(api, frame.method, frame.payload).then((envelope) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id: frame.id, ...envelope }));
    });
  });
}
