import { describe, expect, it } from 'vitest';
import { parseCoordinatorConfig } from '../../../coordinator/config/coordinator-config.ts';

const valid = {
  federation: { name: 'Consortium' },
  listen: { port: 50051 },
  model: { spec: [{ name: 'w', shape: [2] }], initialWeights: 'w.safetensors' },
  task: 'sentiment',
  strategy: { name: 'fedadam' },
  rounds: 5,
  participantsPerRound: { min: 2, max: 4 },
  roundDeadlineSeconds: 600,
  dp: { clipNorm: 1, noiseMultiplier: 1.1, localSteps: 50, sampleRate: 0.02 },
};

describe('the coordinator config', () => {
  it('fills defaults and resolves paths against the config folder', () => {
    const config = parseCoordinatorConfig(valid, '/srv/fed');
    expect(config.dataDir).toBe('/srv/fed/data');
    expect(config.model.initialWeights).toBe('/srv/fed/w.safetensors');
    expect(config.limits.chunkBytes).toBe(1024 * 1024);
    expect(config.tls.mutual).toBe(false);
    expect(config.updateEncoding).toBe('accord-update-v1');
    expect(config.strategy).toMatchObject({ name: 'fedadam', beta1: 0.9 });
  });

  it("resolves the coordinator's test set against the config folder and names a bad field of it", () => {
    const evaluation = { testSet: { file: 'test/union.tsv', columns: { text: 'text', label: 'label' } } };
    expect(parseCoordinatorConfig({ ...valid, evaluation }, '/srv/fed').evaluation?.testSet?.file).toBe(
      '/srv/fed/test/union.tsv',
    );
    expect(parseCoordinatorConfig(valid, '/srv/fed').evaluation).toBeUndefined();
    const noLabel = { testSet: { file: 't.tsv', columns: { text: 'text' } } };
    expect(() => parseCoordinatorConfig({ ...valid, evaluation: noLabel }, '/', 'c.json')).toThrow(
      /c.json: evaluation.testSet.columns.label:/,
    );
  });

  it('names the field that is wrong', () => {
    expect(() => parseCoordinatorConfig({ ...valid, participantsPerRound: { min: 5, max: 4 } }, '/', 'c.json')).toThrow(
      /c.json: participantsPerRound: .*min must not exceed/,
    );
    expect(() => parseCoordinatorConfig({ ...valid, dp: { ...valid.dp, sampleRate: 2 } }, '/', 'c.json')).toThrow(
      /c.json: dp.sampleRate/,
    );
    expect(() => parseCoordinatorConfig({ ...valid, strategy: { name: 'fedsgd' } }, '/', 'c.json')).toThrow(
      /c.json: strategy/,
    );
    expect(() => parseCoordinatorConfig({ ...valid, rounds: 0 }, '/', 'c.json')).toThrow(/c.json: rounds/);
  });
});
