import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-task-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function accord(args: string[]) {
  return spawnSync(process.execPath, ['bin/accord.js', ...args], { cwd: root, encoding: 'utf8' });
}

const small = [
  '--model',
  'transformer',
  '--layers',
  '1',
  '--d-model',
  '32',
  '--heads',
  '2',
  '--ff',
  '64',
  '--dropout',
  '0',
  '--batch-size',
  '8',
];

describe('accord train and accord eval for task runs', () => {
  it('trains classification and summarization together, writes checkpoint and report, and evaluates it', () => {
    const out = join(dir, 'multi.safetensors');
    const report = join(dir, 'report');
    const train = accord([
      'train',
      '--dataset',
      'topic=classification:test/fixtures/tasks/topic-labels.csv',
      '--dataset',
      'summary=summarization:test/fixtures/tasks/topic-summaries.jsonl',
      '--tokenizer',
      'resources/tokenizers/gpt2/tokenizer.json',
      '--epochs',
      '2',
      '--seq-len',
      '48',
      '--max-new-tokens',
      '8',
      ...small,
      '--out',
      out,
      '--report',
      report,
    ]);
    expect(train.stderr).toMatch(/step \d+\/\d+ .*loss/);
    expect(train.status, train.stderr).toBe(0);
    const result = JSON.parse(train.stdout.trim().split('\n').at(-1)!);
    expect(result.tasks.map((task: { name: string }) => task.name)).toEqual(['topic', 'summary']);
    const json = JSON.parse(readFileSync(`${report}.json`, 'utf8'));
    expect(Object.keys(json.tasks[0].columns)).toEqual(['untrained', 'trained']);
    const markdown = readFileSync(`${report}.md`, 'utf8');
    expect(markdown).toContain('## topic (classification)');
    expect(markdown).toMatch(/\| rouge1 \| \d\.\d{4} \| \d\.\d{4} \|/);
    expect(existsSync(out)).toBe(true);

    const evaluation = accord([
      'eval',
      '--checkpoint',
      out,
      '--dataset',
      'topic=classification:test/fixtures/tasks/topic-labels.csv',
      '--dataset',
      'summary=summarization:test/fixtures/tasks/topic-summaries.jsonl',
      '--max-new-tokens',
      '8',
      '--report',
      join(dir, 'eval'),
    ]);
    expect(evaluation.status, evaluation.stderr).toBe(0);
    const scores = JSON.parse(evaluation.stdout.trim());
    expect(scores.tasks[0].columns.checkpoint.accuracy).toBeGreaterThanOrEqual(0);
    expect(scores.tasks[1].columns.checkpoint.rouge1).toBeGreaterThanOrEqual(0);
    expect(readFileSync(join(dir, 'eval.md'), 'utf8')).toContain('| accuracy |');
  });

  it('evaluates the checkpoint of `accord train --task classification` and reports its accuracy', () => {
    const out = join(dir, 'sentiment.safetensors');
    const amazon = 'resources/datasets/sentiment/amazon.tsv';
    const columns = ['--text-column', 'text', '--label-column', 'label'];
    const trainOut = accord([
      'train',
      '--task',
      'classification',
      '--data',
      amazon,
      ...columns,
      ...small,
      '--epochs',
      '3',
      '--out',
      out,
    ]);
    expect(trainOut.status, trainOut.stderr).toBe(0);
    const trained = JSON.parse(trainOut.stdout.trim().split('\n').at(-1)!);
    expect(trained.checkpoint).toBe(out);
    const evaluation = accord(['eval', '--checkpoint', out, '--task', 'classification', '--data', amazon]);
    expect(evaluation.status, evaluation.stderr).toBe(0);
    const [task] = JSON.parse(evaluation.stdout.trim()).tasks;
    expect(task).toMatchObject({ name: 'classification', kind: 'classification' });
    expect(task.columns.checkpoint.accuracy).toBeGreaterThan(0.5);
  });

  it('names a bad dataset flag and a head the checkpoint lacks', () => {
    const bad = accord(['train', '--dataset', 'topic=translation:x.csv']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('task kind must be one of classification, qa, summarization');
    const missing = accord(['eval', '--task', 'qa', '--data', 'x.jsonl']);
    expect(missing.stderr).toContain('--checkpoint is required');
  });
});
