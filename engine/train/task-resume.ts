/**
 * Resuming a run from a checkpoint `accord train` wrote (given as `init`): the run keeps the checkpoint's tasks
 * (same names and kinds), class names, tokenizer, vocabulary and model shape, so that label ids and token ids mean
 * what they meant when it was saved. A Hugging Face checkpoint, which has none of this, is an import instead.
 */
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { readSafetensorsLayout } from '../codec/safetensors.ts';
import { loadTaskCheckpoint, taskCheckpointKeys } from './task-checkpoint.ts';
import type { TaskCheckpoint } from './task-checkpoint.ts';
import type { InitialModel } from './task-initial-model.ts';
import { headKindOf } from './task-job-spec.ts';
import type { TaskJobSpec } from './task-job-spec.ts';

/** The checkpoint to resume from, when `init` names one written by `accord train` (read from its header first). */
export async function resumableCheckpoint(spec: TaskJobSpec): Promise<TaskCheckpoint | undefined> {
  // A model folder is a pretrained import, never a checkpoint to resume.
  if (!spec.init || !existsSync(spec.init.file) || statSync(spec.init.file).isDirectory()) return undefined;
  const file = await open(spec.init.file, 'r');
  try {
    const layout = await readSafetensorsLayout(file, spec.init.file);
    if (layout.metadata[taskCheckpointKeys.model] === undefined) return undefined;
  } finally {
    await file.close();
  }
  return loadTaskCheckpoint(spec.init.file);
}

/** The run's spec with the checkpoint's class names and tokenizer; its tasks must be the checkpoint's. */
export function resumedSpec(spec: TaskJobSpec, saved: TaskCheckpoint): TaskJobSpec {
  const file = spec.init!.file;
  const heads = saved.tasks.map((task) => `${task.name} (${task.head.kind})`).join(', ');
  const tasks = spec.tasks.map((task) => {
    const match = saved.tasks.find((candidate) => candidate.name === task.name);
    if (!match || match.head.kind !== headKindOf(task.kind))
      throw new Error(`${file}: no ${task.kind} head named "${task.name}" to resume (heads: ${heads})`);
    return { ...task, ...(match.labels ? { labels: match.labels } : {}) };
  });
  if (tasks.length !== saved.tasks.length)
    throw new Error(`${file}: resuming trains every head of the checkpoint (heads: ${heads})`);
  const positions = saved.config.trunk.maxSequenceLength;
  if (spec.seqLen > positions) throw new Error(`seqLen ${spec.seqLen} exceeds the checkpoint's ${positions} positions`);
  return { ...spec, tasks, tokenizerPath: saved.tokenizerPath ?? spec.tokenizerPath };
}

/** The checkpoint's model, with the run's dropout (a training setting, not part of the model). */
export function resumedModel(spec: TaskJobSpec, saved: TaskCheckpoint): InitialModel {
  const config = { ...saved.config, trunk: { ...saved.config.trunk, dropout: spec.model.dropout } };
  return { config, params: saved.parameters, vocabulary: saved.vocabulary };
}
