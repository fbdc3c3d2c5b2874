import { describe, expect, it } from 'vitest';
import { Graph } from '../../../engine/graph/ir.ts';
import * as op from '../../../engine/graph/ops/index.ts';
import { serializeGraph } from '../../../engine/graph/serialize.ts';
import { SessionCache, modelHash } from '../../../engine/runtime/session-cache.ts';
import { executionProviderList, sessionOptions } from '../../../engine/runtime/session-options.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';
import { availableParallelism } from 'node:os';

function doubler(factor: number): Uint8Array {
  const g = new Graph('doubler');
  const x = g.input('x', 'float32', [2]);
  g.output(op.mul(x, factor), 'y');
  return serializeGraph(g);
}

describe('session options', () => {
  it('follow docs/architecture.md: all cores, one inter-op thread, sequential, arena on, all optimizations, CPU last', () => {
    const options = sessionOptions({ executionProvider: 'cpu' });
    expect(options).toMatchObject({
      intraOpNumThreads: availableParallelism(),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      enableCpuMemArena: true,
      graphOptimizationLevel: 'all',
    });
    expect(executionProviderList('cuda')).toEqual(['cuda', 'cpu']);
    expect(executionProviderList('cpu')).toEqual(['cpu']);
  });
});

describe('OnnxSession', () => {
  it('reports the execution provider it runs on (CPU when no accelerator library is present)', async () => {
    const session = await OnnxSession.create(doubler(2), { executionProvider: 'cpu' });
    expect(session.executionProvider).toBe('cpu');
    expect(session.fallbackReason).toBeUndefined();
    await session.release();
  });

  it('names a missing or unknown input', async () => {
    const session = await OnnxSession.create(doubler(2));
    await expect(session.run({})).rejects.toThrow('missing input "x" (the model takes x)');
    const x = { data: new Float32Array(2), shape: [2] };
    await expect(session.run({ x, z: x })).rejects.toThrow('unknown input "z"');
    await expect(session.run({ x: { data: new Float32Array(3), shape: [2] } })).rejects.toThrow(
      'input "x": shape [2] needs 2 values, got 3',
    );
    await session.release();
  });
});

describe('SessionCache', () => {
  it('returns one session per distinct model and a new one for a different model', async () => {
    const cache = new SessionCache();
    const [first, again] = await Promise.all([cache.get(doubler(2)), cache.get(doubler(2))]);
    const other = await cache.get(doubler(3));
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(cache.size).toBe(2);
    expect(modelHash(doubler(2))).not.toBe(modelHash(doubler(3)));
    const out = await other.run({ x: { data: new Float32Array([1, 2]), shape: [2] } });
    expect([...(out.get('y')?.data as Float32Array)]).toEqual([3, 6]);
    await cache.clear();
    expect(cache.size).toBe(0);
  });
});
