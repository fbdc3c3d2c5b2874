import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTaskCheckpoint } from '../../../engine/train/task-checkpoint.ts';
import { runTaskJob } from '../../../engine/train/task-job.ts';
import { sentimentSpec } from './sentiment-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'accord-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resuming a run from its checkpoint', () => {
  it('starts from the saved model: its untrained metrics are the first run trained ones, optimizer state included', async () => {
    const first = join(dir, 'first.safetensors');
    const trained = await runTaskJob({ ...sentimentSpec(first), epochs: 1, saveOptimizerState: true });
    const saved = loadTaskCheckpoint(first);
    expect(saved.tasks).toEqual([
      { name: 'sentiment', head: { kind: 'classification', classes: 2 }, labels: ['0', '1'] },
    ]);
    expect(saved.optimizer!.step).toBe(trained.steps);

    const second = join(dir, 'second.safetensors');
    const resumed = await runTaskJob({ ...sentimentSpec(second), epochs: 1, init: { file: first } });
    expect(resumed.tasks[0]!.untrained).toEqual(trained.tasks[0]!.trained);
    expect(loadTaskCheckpoint(second).config).toEqual(saved.config);
  });

  it('refuses to resume with tasks the checkpoint has no head for', async () => {
    const first = join(dir, 'only.safetensors');
    await runTaskJob({ ...sentimentSpec(first), epochs: 1 });
    const other = sentimentSpec();
    other.tasks = [{ ...other.tasks[0]!, name: 'topic' }];
    await expect(runTaskJob({ ...other, init: { file: first } })).rejects.toThrow(
      `${first}: no classification head named "topic" to resume (heads: sentiment (classification))`,
    );
  });
});
