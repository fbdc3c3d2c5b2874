/**
 * The ParticipantApi over a WebSocket: {id, method, payload} in, {id, ok, value | error} out.
 * The same dispatch as Electron's IPC, so both transports validate identically.
 */
import type { WebSocket } from 'ws';
import type { ParticipantApi } from '../../preload/contract.ts';
import { dispatch } from '../participant/api/dispatch.ts';

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

export function serveApiSocket(socket: WebSocket, api: ParticipantApi): void {
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
