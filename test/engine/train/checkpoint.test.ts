import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam } from '../../../engine/optim/adam.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../engine/train/checkpoint.ts';
import { decodeSafetensors } from '../../../engine/codec/safetensors.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import { readFileSync } from 'node:fs';

function model() {
  return new Map([
    ['encoder.weight', tensor([2, 2], [0.5, -0.5, 1, 2])],
    ['encoder.bias', tensor([2], [0, 0.1])],
  ]);
}

const gradients = new Map([
  ['encoder.weight', Float32Array.of(0.1, 0.2, -0.3, 0.4)],
  ['encoder.bias', Float32Array.of(1, -1)],
]);

describe('checkpoints', () => {
  it('parameters, optimizer state and metadata survive a save and load; resuming continues identically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-ckpt-'));
    const parameters = model();
    const optimizer = new Adam();
    optimizer.step(parameters, gradients, 0.01);
    const file = join(dir, 'step1.safetensors');
    saveCheckpoint(file, { parameters, optimizer: optimizer.exportState(), metadata: { task: 'classification' } });
    expect(readdirSync(dir)).toEqual(['step1.safetensors']);

    const loaded = loadCheckpoint(file);
    expect(loaded.parameters).toEqual(parameters);
    expect(loaded.metadata).toEqual({ task: 'classification' });
    const resumed = new Adam();
    resumed.importState(loaded.optimizer!);
    const resumedParameters = new Map(loaded.parameters);
    resumed.step(resumedParameters, gradients, 0.01);
    optimizer.step(parameters, gradients, 0.01);
    expect(resumedParameters).toEqual(parameters);
  });

  it('is a plain safetensors state dict with format "pt", as Hugging Face loaders expect', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-ckpt-'));
    const file = join(dir, 'model.safetensors');
    saveCheckpoint(file, { parameters: model() });
    const raw = decodeSafetensors(readFileSync(file));
    expect([...raw.tensors.keys()]).toEqual(['encoder.weight', 'encoder.bias']);
    expect(raw.metadata).toEqual({ format: 'pt' });
  });

  it('refuses a parameter name in the reserved optimizer namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-ckpt-'));
    const parameters = new Map([['optimizer/x', tensor([1], [1])]]);
    expect(() => saveCheckpoint(join(dir, 'x.safetensors'), { parameters })).toThrow('reserved "optimizer/"');
  });
});
