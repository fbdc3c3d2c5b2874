import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDecoding } from '../../../engine/train/task-job-spec.ts';
import type { TaskJobSpec, TaskSpec } from '../../../engine/train/task-job-spec.ts';
import { runTaskJob } from '../../../engine/train/task-job.ts';
import { loadCheckpoint } from '../../../engine/train/checkpoint.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/tasks/${name}`, import.meta.url));
const tokenizer = (name: string) =>
  fileURLToPath(new URL(`../../../resources/tokenizers/${name}/tokenizer.json`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'accord-task-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(tasks: TaskSpec[], overrides: Partial<TaskJobSpec> = {}): TaskJobSpec {
  return {
    tasks,
    tokenizerPath: tokenizer('gpt2'),
    seqLen: 48,
    batchSize: 8,
    epochs: 12,
    learningRate: 3e-3,
    seed: 1,
    optimizer: 'adamw',
    schedule: 'linear',
    warmupFraction: 0.05,
    weightDecay: 0,
    maxGradientNorm: 1,
    model: { layers: 1, dModel: 32, heads: 2, ff: 64, dropout: 0 },
    sampling: 'round-robin',
    validationFraction: 0.25,
    stride: 4,
    decoding: { ...defaultDecoding, maxNewTokens: 8 },
    ...overrides,
  };
}

describe('task training runs', () => {
  it('extractive QA trains end to end and its SQuAD EM/F1 improve over the untrained model', async () => {
    const result = await runTaskJob(
      spec([{ name: 'qa', kind: 'qa', files: [fixture('qa-colours.jsonl')] }], {
        tokenizerPath: tokenizer('bert-base-uncased'),
      }),
    );
    const [qa] = result.tasks;
    expect(qa!.trained.f1!).toBeGreaterThan(qa!.untrained.f1! + 0.3);
    expect(qa!.trained.exactMatch!).toBeGreaterThan(qa!.untrained.exactMatch!);
  });
});

describe('summarization and multi-task runs', () => {
  it('summarization (causal LM, loss on the summary) trains and its ROUGE improves; beam search runs', async () => {
    const result = await runTaskJob(
      spec([{ name: 'summary', kind: 'summarization', files: [fixture('topic-summaries.jsonl')] }], {
        decoding: { ...defaultDecoding, maxNewTokens: 8, beamSize: 3, lengthPenalty: 1 },
      }),
    );
    const [summary] = result.tasks;
    expect(summary!.trained.rouge1!).toBeGreaterThan(summary!.untrained.rouge1! + 0.3);
    expect(summary!.trained.rougeL!).toBeGreaterThan(summary!.untrained.rougeL!);
  });

  it('trains classification and summarization on one trunk and reports both metrics', async () => {
    const out = join(dir, 'multi.safetensors');
    const result = await runTaskJob(
      spec(
        [
          { name: 'topic', kind: 'classification', files: [fixture('topic-labels.csv')] },
          { name: 'summary', kind: 'summarization', files: [fixture('topic-summaries.jsonl')], weight: 2 },
        ],
        { sampling: 'proportional', out },
      ),
    );
    const byName = Object.fromEntries(result.tasks.map((task) => [task.name, task]));
    expect(byName.topic!.trained.accuracy!).toBeGreaterThan(byName.topic!.untrained.accuracy! + 0.3);
    expect(byName.summary!.trained.rouge1!).toBeGreaterThan(byName.summary!.untrained.rouge1! + 0.3);
    const names = [...loadCheckpoint(out).parameters.keys()];
    expect(names.filter((name) => name.startsWith('heads.')).sort()).toEqual([
      'heads.summary.bias',
      'heads.summary.weight',
      'heads.topic.bias',
      'heads.topic.weight',
    ]);
  });
});
