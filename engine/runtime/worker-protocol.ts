/**
 * The messages between the thread that owns a training job (UI, gRPC) and the worker thread that runs it.
 * A job is a module that exports `runJob(spec, context)`; the host names it by URL and sends its spec,
 * so the protocol carries any job without the host importing the engine's heavy parts.
 */
import type { ExecutionProviderName } from './execution-providers.ts';
import type { TrainingControl } from './training-control.ts';
import type { TrainingProgress } from './training-progress.ts';

export type HostToWorker =
  | { type: 'start'; jobModule: string; spec: unknown; executionProvider?: ExecutionProviderName | 'auto' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string; stack?: string };

export interface JobContext {
  readonly control: TrainingControl;
  reportProgress(progress: TrainingProgress): void;
}

/** What a job module exports. A cancelled job returns normally (its result says so), it does not throw. */
export type RunJob<Spec, Result> = (spec: Spec, context: JobContext) => Promise<Result>;

const devicePreferences = new Set<string>(['auto', 'cuda', 'dml', 'coreml', 'cpu']);
const hostTypes = new Set(['start', 'pause', 'resume', 'cancel']);
const workerTypes = new Set(['progress', 'paused', 'resumed', 'result', 'error']);

function typeOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export function parseHostMessage(message: unknown): HostToWorker {
  const type = typeOf(message);
  if (!type || !hostTypes.has(type)) throw new Error(`unknown message to the training worker: ${String(type)}`);
  if (type === 'start' && typeof (message as { jobModule?: unknown }).jobModule !== 'string') {
    throw new Error('start message lacks its jobModule URL');
  }
  const provider = (message as { executionProvider?: unknown }).executionProvider;
  if (type === 'start' && provider !== undefined && !devicePreferences.has(provider as string)) {
    throw new Error(`start message names an unknown execution provider: ${String(provider)}`);
  }
  return message as HostToWorker;
}

export function parseWorkerMessage(message: unknown): WorkerToHost {
  const type = typeOf(message);
  if (!type || !workerTypes.has(type)) throw new Error(`unknown message from the training worker: ${String(type)}`);
  return message as WorkerToHost;
}
