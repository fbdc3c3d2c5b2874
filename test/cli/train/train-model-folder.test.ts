import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { llamaStateDict, tinyLlamaConfig, writeModelFolder } from '../../engine/nn/hf-folder/model-folder-fixture.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-llama-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = writeModelFolder(join(dir, 'tiny-llama'), tinyLlamaConfig, llamaStateDict(tinyLlamaConfig), {
  dtype: 'BF16',
  shards: 2,
});
const topics = 'topic=classification:test/fixtures/tasks/topic-labels.csv';
const summaries = 'summary=summarization:test/fixtures/tasks/topic-summaries.jsonl';
const settings = ['--seq-len', '48', '--max-new-tokens', '4', '--batch-size', '8', '--dropout', '0'];

function accord(args: string[]) {
  return spawnSync(process.execPath, ['bin/accord.js', ...args], { cwd: root, encoding: 'utf8' });
}

function lastJson(stdout: string) {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** The training losses the progress lines on stderr report, in order. */
function progressLosses(stderr: string): number[] {
  return [...stderr.matchAll(/loss (\d+\.\d+)/g)].map((match) => Number(match[1]));
}

describe('accord train --init with a Llama model folder', () => {
  it('fine-tunes classification and summarization heads; eval and --init accept the checkpoint', () => {
    const out = join(dir, 'tuned.safetensors');
    const train = accord([
      'train',
      '--dataset',
      topics,
      '--dataset',
      summaries,
      '--init',
      model,
      '--epochs',
      '3',
      ...settings,
      '--out',
      out,
    ]);
    expect(train.status, train.stderr).toBe(0);
    const result = lastJson(train.stdout);
    const [topic, summary] = result.tasks;
    // Macro-F1, not accuracy: an untrained head that names one topic already scores that topic's share.
    expect(topic.trained.macroF1).toBeGreaterThan(topic.untrained.macroF1);
    expect(summary.kind).toBe('causal-lm');
    expect(result.exchangedParameters).toContain('trunk.layers.1.mlp.gate.weight');
    expect(result.checkpoint).toBe(out);

    const evaluation = accord([
      'eval',
      '--checkpoint',
      out,
      '--dataset',
      topics,
      '--dataset',
      summaries,
      '--max-new-tokens',
      '4',
    ]);
    expect(evaluation.status, evaluation.stderr).toBe(0);
    expect(lastJson(evaluation.stdout).tasks[0].columns.checkpoint.macroF1).toBeGreaterThan(topic.untrained.macroF1);

    const resumed = accord([
      'train',
      '--dataset',
      topics,
      '--dataset',
      summaries,
      '--init',
      out,
      '--epochs',
      '1',
      ...settings,
    ]);
    expect(resumed.status, resumed.stderr).toBe(0);
    // Resuming starts from the fine-tuned model, not from the folder's weights.
    expect(lastJson(resumed.stdout).tasks[0].untrained.accuracy).toBe(topic.trained.accuracy);
  });

  it('the causal-LM loss of a summarization run goes down', () => {
    const train = accord([
      'train',
      '--task',
      'summarization',
      '--data',
      'test/fixtures/tasks/topic-summaries.jsonl',
      '--init',
      model,
      '--epochs',
      '4',
      ...settings,
    ]);
    expect(train.status, train.stderr).toBe(0);
    const losses = progressLosses(train.stderr);
    expect(losses.length).toBeGreaterThan(6);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)));
  });

  it('refuses a model folder without tokenizer.json unless --tokenizer names one', () => {
    const bare = writeModelFolder(join(dir, 'bare'), tinyLlamaConfig, llamaStateDict(tinyLlamaConfig), {
      tokenizer: false,
    });
    const run = accord(['train', '--dataset', topics, '--init', bare, ...settings]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('has no tokenizer.json');
  });

  it('refuses a folder of an unknown architecture, naming its model_type, and exits non-zero', () => {
    const other = writeModelFolder(
      join(dir, 'other'),
      { ...tinyLlamaConfig, model_type: 'falcon' },
      llamaStateDict(tinyLlamaConfig),
    );
    const run = accord(['train', '--dataset', topics, '--init', other, ...settings]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('model_type "falcon" is not supported');
  });
});
