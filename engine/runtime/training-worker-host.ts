/**
 * Runs a training job in a worker thread, so `session.run` (which blocks its thread) never stalls the
 * thread serving the UI or gRPC. The handle relays progress, sends pause/resume/cancel, and settles its
 * result once: with the job's result, or with an Error carrying the worker's message.
 */
import { Worker } from 'node:worker_threads';
import type { ExecutionProviderName } from './execution-providers.ts';
import type { TrainingProgress } from './training-progress.ts';
import { parseWorkerMessage } from './worker-protocol.ts';
import type { HostToWorker, WorkerToHost } from './worker-protocol.ts';

export interface TrainingJobHandle<Result> {
  readonly result: Promise<Result>;
  /** Resolves once the worker has acknowledged; the loop stops after its current step. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** The job stops before its next step and returns its (cancelled) result. */
  cancel(): void;
  /** Stops the thread at once, abandoning the job. */
  terminate(): Promise<void>;
}

export interface TrainingJobOptions {
  onProgress?: (progress: TrainingProgress) => void;
  /** The device the job's sessions run on ('auto' picks the first available; CPU when the asked one is absent). */
  executionProvider?: ExecutionProviderName | 'auto';
}

const workerUrl = new URL('./training-worker.ts', import.meta.url);

interface Pending<Result> {
  settled: boolean;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
  acks: Map<'paused' | 'resumed', Array<() => void>>;
}

function onWorkerMessage<Result>(worker: Worker, pending: Pending<Result>, options: TrainingJobOptions) {
  return (raw: unknown): void => {
    let message: WorkerToHost;
    try {
      message = parseWorkerMessage(raw);
    } catch (error) {
      pending.reject(error as Error);
      void worker.terminate();
      return;
    }
    if (message.type === 'progress') options.onProgress?.(message.progress);
    else if (message.type === 'paused' || message.type === 'resumed') {
      for (const ack of pending.acks.get(message.type)?.splice(0) ?? []) ack();
    } else {
      if (message.type === 'result') pending.resolve(message.result as Result);
      else pending.reject(Object.assign(new Error(message.message), { workerStack: message.stack }));
      void worker.terminate();
    }
  };
}

export function startTrainingJob<Spec, Result>(
  jobModule: URL,
  spec: Spec,
  options: TrainingJobOptions = {},
): TrainingJobHandle<Result> {
  const worker = new Worker(workerUrl);
  let pending!: Pending<Result>;
  const result = new Promise<Result>((resolve, reject) => {
    const once =
      <T>(settle: (value: T) => void) =>
      (value: T) => {
        if (pending.settled) return;
        pending.settled = true;
        settle(value);
        // A pause or resume still waiting for its acknowledgement has nothing left to wait for.
        for (const acks of pending.acks.values()) for (const ack of acks.splice(0)) ack();
      };
    pending = { settled: false, resolve: once(resolve), reject: once(reject), acks: new Map() };
  });
  worker.on('message', onWorkerMessage(worker, pending, options));
  worker.on('error', (error) => pending.reject(error));
  worker.on('exit', (code) => pending.reject(new Error(`training worker exited (code ${code}) before a result`)));
  const post = (message: HostToWorker): void => worker.postMessage(message);
  const acknowledged = (type: 'paused' | 'resumed', message: HostToWorker) => (): Promise<void> => {
    if (pending.settled) return Promise.resolve();
    return new Promise<void>((resolve) => {
      pending.acks.set(type, [...(pending.acks.get(type) ?? []), resolve]);
      post(message);
    });
  };
  post({ type: 'start', jobModule: jobModule.href, spec, executionProvider: options.executionProvider });
  return {
    result,
    pause: acknowledged('paused', { type: 'pause' }),
    resume: acknowledged('resumed', { type: 'resume' }),
    cancel: () => post({ type: 'cancel' }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
