import { describe, expect, it } from 'vitest';
import {
  assertUsableWithSecureAggregation,
  createStrategy,
  strategyConfigSchema,
} from '../../../coordinator/strategies/create-strategy.ts';
import type { StrategyConfig } from '../../../coordinator/strategies/create-strategy.ts';
import { flat, initialGlobal, resultsForRound, setOf } from './fixtures.ts';

const configs: StrategyConfig[] = [
  { name: 'fedavg' },
  { name: 'fedprox', proximalMu: 0.1 },
  { name: 'fedavgm', serverLearningRate: 0.5, serverMomentum: 0.9 },
  { name: 'fedadagrad' },
  { name: 'fedadam' },
  { name: 'fedyogi', eta: 0.05 },
  { name: 'trimmed-mean', beta: 0.34 },
  { name: 'median' },
  { name: 'multitask' },
];

const tasks = [['classify'], ['summarize'], undefined];

describe('createStrategy', () => {
  it('fills in the papers’ defaults', () => {
    expect(strategyConfigSchema.parse({ name: 'fedadam' })).toEqual({
      name: 'fedadam',
      eta: 0.1,
      beta1: 0.9,
      beta2: 0.99,
      tau: 1e-3,
    });
    expect(strategyConfigSchema.parse({ name: 'fedyogi' })).toMatchObject({
      eta: 0.01,
      beta1: 0.9,
      beta2: 0.99,
      tau: 1e-3,
    });
    expect(strategyConfigSchema.parse({ name: 'fedadagrad' })).toMatchObject({ beta1: 0 });
    expect(strategyConfigSchema.parse({ name: 'trimmed-mean' })).toEqual({ name: 'trimmed-mean', beta: 0.1 });
  });

  it('refuses unknown names, unknown fields and out-of-range values, naming the field', () => {
    expect(() => createStrategy({ name: 'fedsgd' })).toThrow('invalid strategy config');
    expect(() => createStrategy({ name: 'fedavg', eta: 1 })).toThrow('eta');
    expect(() => createStrategy({ name: 'fedadam', beta2: 1 })).toThrow('beta2');
    expect(() => createStrategy({ name: 'trimmed-mean', beta: 0.5 })).toThrow('beta');
  });

  it('marks only the robust strategies as needing individual updates', () => {
    const needing = configs.filter((config) => createStrategy(config).needsIndividualUpdates).map((c) => c.name);
    expect(needing).toEqual(['trimmed-mean', 'median']);
    expect(() => assertUsableWithSecureAggregation(createStrategy({ name: 'median' }), true)).toThrow(
      'strategy "median" needs each participant\'s update and cannot run with secure aggregation',
    );
    expect(() => assertUsableWithSecureAggregation(createStrategy({ name: 'median' }), false)).not.toThrow();
    expect(() => assertUsableWithSecureAggregation(createStrategy({ name: 'fedadam' }), true)).not.toThrow();
  });

  for (const config of configs) {
    it(`${config.name}: a strategy restored from saved JSON continues exactly`, () => {
      const running = createStrategy(config);
      let global = setOf(initialGlobal);
      for (let round = 1; round <= 2; round++) global = running.aggregate(global, resultsForRound(round, tasks), round);
      const saved = JSON.parse(JSON.stringify(running.saveState())) as unknown;
      const restored = createStrategy(config);
      restored.restoreState(saved);
      for (let round = 3; round <= 4; round++) {
        const next = running.aggregate(global, resultsForRound(round, tasks), round);
        expect(flat(restored.aggregate(global, resultsForRound(round, tasks), round))).toEqual(flat(next));
        global = next;
      }
    });
  }

  it('a stateful strategy restored fresh (without its state) would diverge, so the test above can fail', () => {
    const running = createStrategy({ name: 'fedadam' });
    const global = running.aggregate(setOf(initialGlobal), resultsForRound(1), 1);
    const fresh = createStrategy({ name: 'fedadam' });
    expect(flat(fresh.aggregate(global, resultsForRound(2), 2))).not.toEqual(
      flat(running.aggregate(global, resultsForRound(2), 2)),
    );
  });

  it('refuses saved moments whose size does not fit the model, naming the tensor', () => {
    const running = createStrategy({ name: 'fedadam' });
    running.aggregate(setOf(initialGlobal), resultsForRound(1), 1);
    const saved = running.saveState() as { buffers: { m: Record<string, string> } };
    saved.buffers.m['trunk.weight'] = Buffer.from(new Float32Array(3).buffer).toString('base64');
    const restored = createStrategy({ name: 'fedadam' });
    restored.restoreState(saved);
    expect(() => restored.aggregate(setOf(initialGlobal), resultsForRound(2), 2)).toThrow(
      'saved first moment for tensor "trunk.weight" has 3 values, the tensor has 4',
    );
  });

  it('refuses state saved by another strategy', () => {
    const state = createStrategy({ name: 'fedadam' }).saveState();
    expect(() => createStrategy({ name: 'fedyogi' }).restoreState(state)).toThrow(
      'belongs to strategy "fedadam", not "fedyogi"',
    );
    expect(() => createStrategy({ name: 'fedavg' }).restoreState({ strategy: 'fedavg' })).toThrow(
      'invalid saved state for fedavg',
    );
  });
});
