import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTaskCheckpoint } from '../../../engine/train/task-checkpoint.ts';
import { splitRows, uciSentences, writeTsv } from '../../../scripts/bench/defaults-data.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-bag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const columns = ['--text-column', 'text', '--label-column', 'label'];

function accord(args: string[]) {
  const run = spawnSync(process.execPath, ['bin/accord.js', ...args], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

function heldOutAccuracy(checkpoint: string, file: string): number {
  const evaluation = accord(['eval', '--checkpoint', checkpoint, '--task', 'classification', '--data', file]);
  return evaluation.tasks[0].columns.checkpoint.accuracy;
}

describe('accord train with its defaults: the n-gram embedding bag', () => {
  it('picks the bag for classification from scratch, reruns bit for bit; accord eval and --init accept its checkpoint', () => {
    const out = join(dir, 'bag.safetensors');
    const amazon = 'resources/datasets/sentiment/amazon.tsv';
    const trained = accord([
      'train',
      '--task',
      'classification',
      '--data',
      amazon,
      ...columns,
      '--epochs',
      '2',
      '--out',
      out,
    ]);
    expect(trained.model).toBe('bag');
    const checkpoint = loadTaskCheckpoint(out);
    expect(checkpoint.config.trunk.architecture).toBe('bag');
    expect([...checkpoint.parameters.keys()]).toContain('trunk.bigram_embedding.weight');
    expect(heldOutAccuracy(out, amazon)).toBeGreaterThan(0.5);
    const again = join(dir, 'bag-again.safetensors');
    accord(['train', '--task', 'classification', '--data', amazon, ...columns, '--epochs', '2', '--out', again]);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
    // Resuming evaluates the checkpoint on the same held-out split (same seed) before it trains again.
    const resume = ['--init', out, '--seq-len', '512', '--epochs', '1'];
    const resumed = accord(['train', '--task', 'classification', '--data', amazon, ...columns, ...resume]);
    expect(resumed.tasks[0].untrained.accuracy).toBe(trained.heldOut.accuracy);
  }, 180_000);

  // A stated floor: well over a majority guess (0.5), well under what the defaults reach on these samples (0.77 and
  // 0.79 when written); two split seeds, not one tuned split.
  const floor = 0.72;
  it.each([0, 1])(
    'held-out accuracy above the floor on a 1,500-sentence UCI sample, split seed %i',
    async (seed) => {
      const sample = splitRows(await uciSentences(), 100 + seed, 0.5).test;
      const split = splitRows(sample, seed);
      const [train, test] = [
        writeTsv(join(dir, `train-${seed}.tsv`), split.train),
        writeTsv(join(dir, `test-${seed}.tsv`), split.test),
      ];
      const out = join(dir, `uci-${seed}.safetensors`);
      accord(['train', '--task', 'classification', '--data', train, ...columns, '--out', out]);
      const accuracy = heldOutAccuracy(out, test);
      process.stderr.write(`UCI sample, split seed ${seed}: held-out accuracy ${accuracy.toFixed(3)}\n`);
      expect(accuracy).toBeGreaterThan(floor);
    },
    300_000,
  );
});
