import { describe, expect, it } from 'vitest';
import { describeExecutionProviders, resolveExecutionDevice } from '../../../engine/runtime/execution-providers.ts';
import type { ExecutionProviderStatus } from '../../../engine/runtime/execution-providers.ts';

const withCuda: ExecutionProviderStatus[] = [
  { name: 'cuda', available: true, reason: 'provider library present' },
  { name: 'cpu', available: true, reason: 'built into onnxruntime-node' },
];
const withoutCuda: ExecutionProviderStatus[] = [
  { name: 'cuda', available: false, reason: 'CUDA provider library not installed' },
  { name: 'cpu', available: true, reason: 'built into onnxruntime-node' },
];

describe('the device a job runs on', () => {
  it("'auto' takes the first available provider in order of preference", () => {
    expect(resolveExecutionDevice('auto', withCuda)).toEqual({ requested: 'auto', provider: 'cuda' });
    expect(resolveExecutionDevice('auto', withoutCuda)).toEqual({ requested: 'auto', provider: 'cpu' });
  });

  it('a named provider is used when available, and the CPU otherwise, saying why', () => {
    expect(resolveExecutionDevice('cuda', withCuda)).toEqual({ requested: 'cuda', provider: 'cuda' });
    const fallback = resolveExecutionDevice('cuda', withoutCuda);
    expect(fallback).toMatchObject({ requested: 'cuda', provider: 'cpu' });
    expect(fallback.fallbackReason).toContain('CUDA provider library not installed');
    expect(resolveExecutionDevice('coreml', withoutCuda).fallbackReason).toContain('coreml is not available');
    expect(resolveExecutionDevice('cpu', withoutCuda)).toEqual({ requested: 'cpu', provider: 'cpu' });
  });

  it('on this machine, agrees with what onnxruntime-node offers', () => {
    const statuses = describeExecutionProviders();
    const cuda = statuses.find((status) => status.name === 'cuda');
    expect(resolveExecutionDevice('cuda').provider).toBe(cuda?.available ? 'cuda' : 'cpu');
  });
});
