/**
 * The headless bridge: the ParticipantApi over the WebSocket of `accord participant serve`.
 * The access token travels as the cookie the server set when the page was opened.
 */
import type { Envelope } from '../../../preload/contract.ts';

type Pending = (envelope: Envelope<unknown>) => void;
export type PushListener = (event: string, data: unknown) => void;

export class SocketTransport {
  #socket: Promise<WebSocket>;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Receives every pushed event frame ({event, data}, no id). */
  onEvent: PushListener | undefined;

  constructor(url: string) {
    this.#socket = new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(socket));
      socket.addEventListener('error', () => reject(new Error('cannot reach the Accord participant service')));
      socket.addEventListener('message', (message) => this.#receive(String(message.data)));
      socket.addEventListener('close', () => this.#failAll('the connection to the Accord participant service closed'));
    });
  }

  async call(method: string, payload: unknown): Promise<Envelope<unknown>> {
    const socket = await this.#socket;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, payload }));
    });
  }

  #receive(data: string): void {
    const frame = JSON.parse(data) as Envelope<unknown> & { id?: number | null; event?: string; data?: unknown };
    if (typeof frame.event === 'string' && frame.id === undefined) {
      this.onEvent?.(frame.event, frame.data);
      return;
    }
    const pending = frame.id === null || frame.id === undefined ? undefined : this.#pending.get(frame.id);
    if (!pending || frame.id === null || frame.id === undefined) return;
    this.#pending.delete(frame.id);
    pending(frame);
  }

  #failAll(message: string): void {
    for (const pending of this.#pending.values()) pending({ ok: false, error: { code: 'failed', message } });
    this.#pending.clear();
  }
}
