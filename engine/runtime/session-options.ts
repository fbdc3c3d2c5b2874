/**
 * Session options that measured best for training-step graphs (docs/architecture.md, "The engine"): all cores for
 * one op, one op at a time, the memory arena on (off was 5.5× slower), every graph optimization.
 */
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import { describeExecutionProviders, selectExecutionProvider } from './execution-providers.ts';
import type { ExecutionProviderName, ExecutionProviderStatus } from './execution-providers.ts';

export interface EngineSessionOptions {
  /** Threads for one op; defaults to the machine's cores. */
  readonly intraOpThreads?: number;
  /** Provider preference; defaults to selectExecutionProvider(), always followed by CPU. */
  readonly executionProvider?: ExecutionProviderName;
}

export function executionProviderList(preferred: ExecutionProviderName): ExecutionProviderName[] {
  return preferred === 'cpu' ? ['cpu'] : [preferred, 'cpu'];
}

export function sessionOptions(options: EngineSessionOptions = {}): InferenceSession.SessionOptions {
  const statuses: ExecutionProviderStatus[] = describeExecutionProviders();
  const provider = options.executionProvider ?? selectExecutionProvider(statuses);
  return {
    executionProviders: executionProviderList(provider),
    intraOpNumThreads: options.intraOpThreads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    enableCpuMemArena: true,
    enableMemPattern: true,
    graphOptimizationLevel: 'all',
  };
}
