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
    expect(qa!.trained!.f1!).toBeGreaterThan(qa!.untrained.f1! + 0.3);
    expect(qa!.trained!.exactMatch!).toBeGreaterThan(qa!.untrained.exactMatch!);
  });
});

describe('extractive QA with unanswerable questions (SQuAD v2)', () => {
  it('learns when to answer nothing: the CLS position wins on unanswerable questions', async () => {
    const result = await runTaskJob(
      spec([{ name: 'qa', kind: 'qa', files: [fixture('qa-colours-v2.jsonl')] }], {
        tokenizerPath: tokenizer('bert-base-uncased'),
        epochs: 30,
      }),
    );
    const [qa] = result.tasks;
    expect(qa!.trained!.noAnswerExactMatch!).toBeGreaterThan(0.8);
    expect(qa!.trained!.hasAnswerF1!).toBeGreaterThan(qa!.untrained.hasAnswerF1! + 0.3);
  });
});

describe('summarization and multi-task runs', () => {
  it('summarization (causal LM, loss on the summary) trains and its ROUGE improves; beam search runs', async () => {
    const result = await runTaskJob(
      spec([{ name: 'summary', kind: 'summarization', files: [fixture('topic-summaries.jsonl')] }], {
        decoding: { ...defaultDecoding, maxNewTokens: 8, beamSize: 3, lengthPenalty: 1 },
        epochs: 16,
      }),
    );
    const [summary] = result.tasks;
    expect(summary!.trained!.rouge1!).toBeGreaterThan(summary!.untrained.rouge1! + 0.3);
    expect(summary!.trained!.rougeL!).toBeGreaterThan(summary!.untrained.rougeL!);
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
    expect(byName.topic!.trained!.accuracy!).toBeGreaterThan(byName.topic!.untrained.accuracy! + 0.3);
    expect(byName.summary!.trained!.rouge1!).toBeGreaterThan(byName.summary!.untrained.rouge1! + 0.3);
    const names = [...loadCheckpoint(out).parameters.keys()];
    expect(names.filter((name) => name.startsWith('heads.')).sort()).toEqual([
      'heads.summary.bias',
      'heads.summary.weight',
      'heads.topic.bias',
      'heads.topic.weight',
    ]);
  });
});

describe('fine-tuning a pretrained GPT-2 with LoRA', () => {
  it('starts from the imported weights, keeps them frozen and exchanges only the adapters', async () => {
    const { encodeSafetensors } = await import('../../../engine/codec/safetensors.ts');
    const { tensor } = await import('../../../engine/tensor/parameter-set.ts');
    const [vocab, d, ff] = [50257, 8, 16];
    let state = 99;
    const t = (...shape: number[]) =>
      tensor(
        shape,
        Float32Array.from(
          { length: shape.reduce((a, b) => a * b) },
          () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.1,
        ),
      );
    const weights = new Map([
      ['wte.weight', t(vocab, d)],
      ['wpe.weight', t(64, d)],
      ['ln_f.weight', t(d)],
      ['ln_f.bias', t(d)],
      ['h.0.ln_1.weight', t(d)],
      ['h.0.ln_1.bias', t(d)],
      ['h.0.ln_2.weight', t(d)],
      ['h.0.ln_2.bias', t(d)],
      ['h.0.attn.c_attn.weight', t(d, 3 * d)],
      ['h.0.attn.c_attn.bias', t(3 * d)],
      ['h.0.attn.c_proj.weight', t(d, d)],
      ['h.0.attn.c_proj.bias', t(d)],
      ['h.0.mlp.c_fc.weight', t(d, ff)],
      ['h.0.mlp.c_fc.bias', t(ff)],
      ['h.0.mlp.c_proj.weight', t(ff, d)],
      ['h.0.mlp.c_proj.bias', t(d)],
    ]);
    const file = join(dir, 'gpt2-tiny.safetensors');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, encodeSafetensors(weights));
    const out = join(dir, 'lora.safetensors');
    const result = await runTaskJob(
      spec([{ name: 'topic', kind: 'classification', files: [fixture('topic-labels.csv')] }], {
        epochs: 1,
        init: { file, heads: 2 },
        lora: { rank: 2, alpha: 4, targetModules: ['query', 'value', 'heads.topic'] },
        out,
      }),
    );
    expect(result.exchangedParameters.length).toBeGreaterThan(0);
    expect(result.exchangedParameters.every((name) => /\.lora_[ab]$/.test(name))).toBe(true);
    const saved = loadCheckpoint(out).parameters;
    expect(Array.from(saved.get('trunk.token_embedding.weight')!.data)).toEqual(
      Array.from(weights.get('wte.weight')!.data),
    );
    const qkv = weights.get('h.0.attn.c_attn.weight')!.data;
    const query = saved.get('trunk.layers.0.attention.query.weight')!.data;
    expect(Array.from(query)).toEqual(
      Array.from({ length: d * d }, (_, i) => qkv[Math.floor(i / d) * 3 * d + (i % d)]),
    );
    expect(Array.from(saved.get('trunk.layers.0.attention.query.lora_b')!.data).some((v) => v !== 0)).toBe(true);
  });
});
