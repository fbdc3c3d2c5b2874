import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const amazon = 'resources/datasets/sentiment/amazon.tsv';

function accord(args: string[]) {
  return spawnSync(process.execPath, ['bin/accord.js', 'train', ...args], { cwd: root, encoding: 'utf8' });
}

describe('accord train', () => {
  it('shows progress on stderr and ends stdout with one JSON line of held-out metrics', () => {
    const run = accord([
      '--task',
      'classification',
      '--data',
      amazon,
      '--text-column',
      'text',
      '--label-column',
      'label',
      '--model',
      'transformer',
      '--epochs',
      '1',
      '--seq-len',
      '16',
      '--layers',
      '1',
      '--d-model',
      '16',
      '--heads',
      '2',
      '--ff',
      '32',
    ]);
    expect(run.stderr).toMatch(/step \d+\/\d+ .*loss \d\.\d{4}.*ETA/);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!);
    expect(result).toMatchObject({ task: 'classification', cancelled: false, labels: ['0', '1'] });
    expect(result.heldOut.examples).toBe(result.heldOutExamples);
    expect(result.heldOut.accuracy).toBeGreaterThanOrEqual(0);
    // The held-out curve: one line per epoch on stderr, the same points in the JSON line.
    expect(run.stderr).toMatch(/epoch 1\/1 +train loss \d\.\d{4} +classification: held-out loss \d\.\d{4} accuracy/);
    expect(result.earlyStopping).toMatchObject({ bestEpoch: 1, epochsRun: 1, stoppedEarly: false });
    expect(result.earlyStopping.curve[0].heldOutLoss).toBe(result.heldOut.loss);
  });

  it('names a missing or malformed flag and exits 2', () => {
    const missing = accord(['--task', 'classification', '--data', amazon, '--label-column', 'label']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--text-column is required');
    const malformed = accord([
      '--task',
      'classification',
      '--data',
      amazon,
      '--text-column',
      'text',
      '--label-column',
      'label',
      '--lr',
      'fast',
    ]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('--lr must be a number, got "fast"');
    const noData = accord(['--task', 'summarization']);
    expect(noData.stderr).toContain('no data: give --data FILE');
    const task = accord(['--task', 'translation', '--data', amazon]);
    expect(task.stderr).toContain('task kind must be one of classification, qa, summarization');
  });
});
