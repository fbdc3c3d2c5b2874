/**
 * Sessions keyed by a SHA-256 of the model bytes, so a graph built twice (same model, same batch shape)
 * is loaded and optimized once. Creation is shared while in flight, so concurrent callers get one session.
 */
import { createHash } from 'node:crypto';
import type { ExecutionDevice } from './execution-providers.ts';
import { OnnxSession } from './session.ts';
import type { EngineSessionOptions } from './session-options.ts';

export function modelHash(modelBytes: Uint8Array, options: EngineSessionOptions = {}): string {
  return createHash('sha256').update(modelBytes).update(JSON.stringify(options)).digest('hex');
}

export class SessionCache {
  private readonly sessions = new Map<string, Promise<OnnxSession>>();
  #device: ExecutionDevice | undefined;

  /** The device this cache's sessions run on when a caller names none (the worker's, set once per job). */
  get device(): ExecutionDevice | undefined {
    return this.#device;
  }

  useDevice(device: ExecutionDevice): void {
    this.#device = device;
  }

  get size(): number {
    return this.sessions.size;
  }

  async get(modelBytes: Uint8Array, requested: EngineSessionOptions = {}): Promise<OnnxSession> {
    const provider = requested.executionProvider ?? this.#device?.provider;
    const options = provider ? { ...requested, executionProvider: provider } : requested;
    const key = modelHash(modelBytes, options);
    let session = this.sessions.get(key);
    if (!session) {
      session = OnnxSession.create(modelBytes, options);
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }

  async clear(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(async (session) => (await session).release()));
  }
}

/** The engine's process-wide cache (one per worker thread). */
export const sessionCache = new SessionCache();
