/**
 * Worker-thread entry: waits for one `start`, imports the job module and runs it, relaying progress and
 * obeying pause, resume and cancel between steps. Any failure is sent as an `error` message with its text.
 */
import { parentPort } from 'node:worker_threads';
import { resolveExecutionDevice } from './execution-providers.ts';
import type { ExecutionProviderName } from './execution-providers.ts';
import { sessionCache } from './session-cache.ts';
import { TrainingControl } from './training-control.ts';
import { parseHostMessage } from './worker-protocol.ts';
import type { HostToWorker, RunJob, WorkerToHost } from './worker-protocol.ts';

if (!parentPort) throw new Error('training-worker.ts must run in a worker thread');
const port = parentPort;
const control = new TrainingControl();
let started = false;

function send(message: WorkerToHost): void {
  port.postMessage(message);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  send({ type: 'error', message, stack: error instanceof Error ? error.stack : undefined });
}

async function start(
  jobModule: string,
  spec: unknown,
  executionProvider: ExecutionProviderName | 'auto',
): Promise<void> {
  sessionCache.useDevice(resolveExecutionDevice(executionProvider));
  const module = (await import(jobModule)) as { runJob?: RunJob<unknown, unknown> };
  if (typeof module.runJob !== 'function') throw new Error(`job module ${jobModule} exports no runJob function`);
  const result = await module.runJob(spec, {
    control,
    reportProgress: (progress) => send({ type: 'progress', progress }),
  });
  send({ type: 'result', result });
}

function handle(message: HostToWorker): void {
  switch (message.type) {
    case 'start':
      if (started) throw new Error('this worker already runs a job');
      started = true;
      start(message.jobModule, message.spec, message.executionProvider ?? 'auto').then(
        () => port.close(),
        (error: unknown) => {
          fail(error);
          port.close();
        },
      );
      return;
    case 'pause':
      control.pause();
      send({ type: 'paused' });
      return;
    case 'resume':
      control.resume();
      send({ type: 'resumed' });
      return;
    case 'cancel':
      control.cancel();
  }
}

port.on('message', (raw: unknown) => {
  try {
    handle(parseHostMessage(raw));
  } catch (error) {
    fail(error);
  }
});
