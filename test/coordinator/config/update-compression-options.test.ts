import { describe, expect, it } from 'vitest';
import { parseCoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';

const valid = {
  federation: { name: 'Consortium' },
  listen: { port: 50051 },
  model: { spec: [{ name: 'w', shape: [2] }], initialWeights: 'w.safetensors' },
  task: 'sentiment',
  strategy: { name: 'fedavg' },
  rounds: 5,
  participantsPerRound: { min: 2, max: 4 },
  roundDeadlineSeconds: 600,
  dp: { clipNorm: 1, noiseMultiplier: 1.1, localSteps: 50, sampleRate: 0.02 },
};

const parse = (extra: Record<string, unknown>) => () => parseCoordinatorConfig({ ...valid, ...extra }, '/', 'c.json');

describe('the coordinator config’s compression', () => {
  it('is absent by default and keeps the method and fraction it is given', () => {
    expect(parse({})().compression).toBeUndefined();
    expect(parse({ compression: { method: 'int8' } })().compression).toEqual({ method: 'int8' });
    expect(parse({ compression: { method: 'topk', fraction: 0.01 } })().compression).toEqual({
      method: 'topk',
      fraction: 0.01,
    });
  });

  it('refuses an unknown method, a missing or out-of-range fraction and a stray field, naming it', () => {
    expect(parse({ compression: { method: 'zip' } })).toThrow(
      'c.json: compression.method: method must be "int8" or "topk"',
    );
    expect(parse({ compression: { method: 'topk' } })).toThrow(/c.json: compression.fraction: .*expected number/);
    expect(parse({ compression: { method: 'topk', fraction: 0 } })).toThrow('compression.fraction: must be above 0');
    expect(parse({ compression: { method: 'topk', fraction: 1 } })).toThrow(/compression.fraction: must be below 1/);
    expect(parse({ compression: { method: 'int8', fraction: 0.5 } })).toThrow(/compression: .*"fraction"/);
  });

  it('is refused with secure aggregation, which masks the dense update, and with raw float32 updates', () => {
    expect(parse({ compression: { method: 'int8' }, secureAggregation: true })).toThrow(
      /c.json: compression: cannot be used with secureAggregation: masking needs the dense update/,
    );
    expect(parse({ compression: { method: 'topk', fraction: 0.1 }, updateEncoding: 'float32-le' })).toThrow(
      'c.json: compression: needs updateEncoding "accord-update-v1"',
    );
  });
});
