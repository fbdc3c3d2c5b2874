/**
 * Training step and forward pass of one task of a task model, one cached session per (config, task, batch
 * shape). The model's parameters may hold more than the task's graph uses (other tasks' heads): each run feeds
 * the task's own. With LoRA the base is frozen and only the adapters get gradients.
 *
 *   createTaskStep(config, task, batchSize, seqLen) → TaskStep
 *   step.run(params, batch, dropoutSeed) → { loss, gradients }   gradients: the trainable parameters of this task
 *   createTaskForward(config, task, batchSize, seqLen) → TaskForward; forward.run(params, batch) → outputs by name
 */
import type { HostTensor } from '../runtime/session.ts';
import type { Float32Tensor, ParameterSet, TensorSpec } from '../tensor/parameter-set.ts';
import { createGraphForward, createGraphStep } from './graph-step.ts';
import { isLoraParameter } from './lora.ts';
import { initializeParameters } from './scope.ts';
import { buildTaskGraph } from './task-model.ts';
import type { TaskModelConfig } from './task-model.ts';

/** Batch tensors by graph input name: input_ids, attention_mask and the head's labels. */
export type TaskBatchFeeds = Record<string, HostTensor>;

export interface TaskStep {
  readonly parameterSpecs: readonly TensorSpec[];
  run(
    params: ParameterSet,
    batch: TaskBatchFeeds,
    dropoutSeed?: number,
  ): Promise<{ loss: number; gradients: Map<string, Float32Array> }>;
}

export interface TaskForward {
  readonly parameterSpecs: readonly TensorSpec[];
  run(params: ParameterSet, batch: TaskBatchFeeds): Promise<Map<string, HostTensor>>;
}

/** The parameters a graph takes, picked from a (possibly larger) model parameter set. */
export function parametersFor(params: ParameterSet, specs: readonly TensorSpec[]): Map<string, Float32Tensor> {
  const picked = new Map<string, Float32Tensor>();
  for (const spec of specs) {
    const value = params.get(spec.name);
    if (!value) throw new Error(`missing tensor "${spec.name}"`);
    picked.set(spec.name, value);
  }
  return picked;
}

/** Which parameters train: with LoRA only the adapters (the base is frozen), otherwise all. */
export function trainableFilter(config: TaskModelConfig): (name: string) => boolean {
  return config.lora ? isLoraParameter : () => true;
}

export async function createTaskStep(
  config: TaskModelConfig,
  task: string,
  batchSize: number,
  seqLen: number,
): Promise<TaskStep> {
  const built = buildTaskGraph(config, task, batchSize, seqLen, { training: true });
  const step = await createGraphStep(built.scope, built.loss!, trainableFilter(config));
  return {
    parameterSpecs: step.parameterSpecs,
    async run(params, batch, dropoutSeed = 0) {
      const { loss, gradients } = await step.run(parametersFor(params, step.parameterSpecs), batch, dropoutSeed);
      return { loss, gradients };
    },
  };
}

export async function createTaskForward(
  config: TaskModelConfig,
  task: string,
  batchSize: number,
  seqLen: number,
): Promise<TaskForward> {
  const built = buildTaskGraph(config, task, batchSize, seqLen, { withLoss: false });
  const forward = await createGraphForward(built.scope, built.outputs);
  return {
    parameterSpecs: forward.parameterSpecs,
    // Labels, when a batch carries them, are not inputs of the forward graph.
    run: (params, { input_ids: ids, attention_mask: mask }) =>
      forward.run(parametersFor(params, forward.parameterSpecs), { input_ids: ids!, attention_mask: mask! }),
  };
}

/** Seeded initial parameters of every task's graph (trunk once, then each head; adapters with LoRA). */
export function initializeTaskModel(config: TaskModelConfig, seed: number): Map<string, Float32Tensor> {
  const records = new Map<string, ReturnType<typeof buildTaskGraph>['scope']['parameters'][number]>();
  for (const task of Object.keys(config.heads)) {
    for (const record of buildTaskGraph(config, task, 1, 1).scope.parameters) {
      if (!records.has(record.name)) records.set(record.name, record);
    }
  }
  return initializeParameters([...records.values()], seed);
}
