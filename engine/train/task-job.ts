/**
 * A training run of one or several tasks on one model: a transformer trunk shared by every task and a head per
 * task (`heads.<task>.*`), optionally LoRA adapters over a frozen (e.g. imported) base. Each step trains one
 * task's batch, the tasks interleaved by the sampler; a task's loss and gradients are scaled by its weight.
 * Every task is evaluated on its held-out split before and after training (so the report shows what training
 * changed), and the parameters are saved as a checkpoint that `accord eval` reads and `init` resumes
 * (engine/train/task-checkpoint.ts). This is the one training path of `accord train`, classification included.
 */
import { loadTokenizer } from '../data/tokenizer.ts';
import type { TextTokenizer } from '../data/tokenizer.ts';
import { createOptimizer } from '../optim/create-optimizer.ts';
import { createSchedule } from '../optim/schedule.ts';
import { loraParameters } from '../nn/lora.ts';
import type { TaskModelConfig } from '../nn/task-model.ts';
import { createTaskForward, createTaskStep } from '../nn/task-step.ts';
import type { TaskForward, TaskStep } from '../nn/task-step.ts';
import type { Float32Tensor } from '../tensor/parameter-set.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { saveTaskCheckpoint } from './task-checkpoint.ts';
import type { TaskCheckpoint } from './task-checkpoint.ts';
import { resumableCheckpoint, resumedModel, resumedSpec } from './task-resume.ts';
import { paddingId } from './compact-vocabulary.ts';
import { initialModel } from './task-initial-model.ts';
import type { TaskVocabulary } from './task-vocabulary.ts';
import { compactDataset } from './task-dataset.ts';
import type { TaskDataset } from './task-dataset.ts';
import { evaluateTask } from './task-evaluation.ts';
import type { TaskEvaluationResult } from './task-evaluation.ts';
import { shuffledTaskBatches } from './task-features.ts';
import type { BatchGeometry, TaskBatch } from './task-features.ts';
import { interleaveTasks } from './task-sampler.ts';
import type { TaggedBatch } from './task-sampler.ts';
import { runTrainingLoop } from './training-loop.ts';
import type { EpochVerdict, TrainingOutcome } from './training-loop.ts';
import { EarlyStopping } from './early-stopping.ts';
import { prepareTaskDatasets, resolvedPatience } from './task-job-spec.ts';
import type { TaskJobContext, TaskJobResult, TaskJobSpec, TaskOutcome } from './task-job-spec.ts';

type Evaluations = Record<string, TaskEvaluationResult>;

interface TaskRuntime {
  dataset: TaskDataset;
  step: TaskStep;
  forward: TaskForward;
  generationForward?: TaskForward;
  weight: number;
}

async function taskRuntimes(spec: TaskJobSpec, config: TaskModelConfig, datasets: TaskDataset[]) {
  const runtimes = new Map<string, TaskRuntime>();
  for (const dataset of datasets) {
    const weight = spec.tasks.find((task) => task.name === dataset.name)?.weight ?? 1;
    const runtime: TaskRuntime = {
      dataset,
      weight,
      step: await createTaskStep(config, dataset.name, spec.batchSize, spec.seqLen),
      forward: await createTaskForward(config, dataset.name, spec.batchSize, spec.seqLen),
    };
    if (dataset.head.kind === 'causal-lm')
      runtime.generationForward = await createTaskForward(config, dataset.name, spec.decoding.beamSize, spec.seqLen);
    runtimes.set(dataset.name, runtime);
  }
  return runtimes;
}

async function evaluateAll(
  spec: TaskJobSpec,
  runtimes: Map<string, TaskRuntime>,
  params: Map<string, Float32Tensor>,
  vocabulary: TaskVocabulary,
  detokenize: (ids: number[]) => string,
): Promise<Evaluations> {
  const results: Evaluations = {};
  const geometry: BatchGeometry = { batchSize: spec.batchSize, seqLen: spec.seqLen, padId: paddingId };
  for (const [name, runtime] of runtimes) {
    results[name] = await evaluateTask(runtime.dataset, {
      forward: runtime.forward,
      ...(runtime.generationForward ? { generationForward: runtime.generationForward } : {}),
      params,
      geometry,
      decoding: spec.decoding,
      bannedIds: vocabulary.reservedIds,
      detokenize,
    });
  }
  return results;
}

function weightedStep(runtimes: Map<string, TaskRuntime>, seed: number) {
  let steps = 0;
  return {
    async run(params: Map<string, Float32Tensor>, tagged: TaggedBatch<TaskBatch>) {
      const runtime = runtimes.get(tagged.task)!;
      steps += 1;
      const result = await runtime.step.run(
        params,
        tagged.batch.feeds,
        (Math.imul(seed + 1, 0x9e3779b1) + steps) >>> 0,
      );
      if (runtime.weight !== 1)
        for (const gradient of result.gradients.values())
          gradient.forEach((v, i) => (gradient[i] = v * runtime.weight));
      return { loss: result.loss * runtime.weight, gradients: result.gradients };
    },
  };
}

/** The held-out evaluation after each epoch that early stopping watches. */
interface EpochWatch {
  stopping: EarlyStopping;
  evaluate(): Promise<Evaluations>;
  /** The best epoch's evaluation: the run ends with that epoch's parameters, so it is the final one too. */
  best?: Evaluations;
}

function epochHook(
  spec: TaskJobSpec,
  watch: EpochWatch,
  params: Map<string, Float32Tensor>,
  optimizer: Optimizer,
  context: TaskJobContext,
) {
  return async (): Promise<EpochVerdict> => {
    const results = await watch.evaluate();
    const tasks = Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.metrics]));
    const weightOf = (name: string) => spec.tasks.find((task) => task.name === name)?.weight ?? 1;
    const loss = Object.entries(tasks).reduce((sum, [name, metrics]) => sum + weightOf(name) * metrics.loss!, 0);
    const keepOptimizer = spec.saveOptimizerState ? () => optimizer.exportState() : undefined;
    const verdict = watch.stopping.observe({ loss, tasks }, params, keepOptimizer);
    if (watch.stopping.curve.at(-1)!.improved) watch.best = results;
    context.reportEpoch?.(watch.stopping.curve.at(-1)!, spec.epochs);
    return verdict;
  };
}

async function train(
  spec: TaskJobSpec,
  runtimes: Map<string, TaskRuntime>,
  params: Map<string, Float32Tensor>,
  optimizer: Optimizer,
  context: TaskJobContext,
  watch: EpochWatch | undefined,
): Promise<TrainingOutcome> {
  const geometry: BatchGeometry = { batchSize: spec.batchSize, seqLen: spec.seqLen, padId: paddingId };
  const epochBatches = (epoch: number) => {
    const perTask = new Map<string, TaskBatch[]>();
    for (const [name, runtime] of runtimes)
      perTask.set(name, [
        ...shuffledTaskBatches(runtime.dataset.head, runtime.dataset.train, geometry, spec.seed, epoch),
      ]);
    return interleaveTasks(perTask, spec.sampling, (spec.seed * 31 + epoch) >>> 0);
  };
  const perEpoch = [...epochBatches(0)].length;
  if (perEpoch === 0) throw new Error(`no task has enough training examples for one batch of ${spec.batchSize}`);
  const totalSteps = perEpoch * spec.epochs;
  return runTrainingLoop({
    parameters: params,
    step: weightedStep(runtimes, spec.seed),
    optimizer,
    schedule: createSchedule({
      kind: spec.schedule,
      peakRate: spec.learningRate,
      warmupSteps: Math.min(totalSteps - 1, Math.round(totalSteps * spec.warmupFraction)),
      totalSteps,
    }),
    epochBatches,
    examplesIn: (tagged) => tagged.batch.count,
    epochs: spec.epochs,
    totalSteps,
    maxGradientNorm: spec.maxGradientNorm || undefined,
    control: context.control,
    onProgress: (progress) => {
      watch?.stopping.recordUpdateLoss(progress.loss);
      context.reportProgress?.(progress);
    },
    ...(watch ? { onEpochEnd: epochHook(spec, watch, params, optimizer, context) } : {}),
  });
}

function detokenizer(tokenizer: TextTokenizer, vocabulary: TaskVocabulary) {
  return (ids: number[]) => tokenizer.decode(vocabulary.toTokenizerIds(ids), { skipSpecialTokens: true });
}

/** A new optimizer, continuing the checkpoint's state when it saved one for the same algorithm. */
function optimizerFor(spec: TaskJobSpec, resumed: TaskCheckpoint | undefined): Optimizer {
  const optimizer = createOptimizer({ algorithm: spec.optimizer, weightDecay: spec.weightDecay || undefined });
  if (resumed?.optimizer?.algorithm === optimizer.algorithm) optimizer.importState(resumed.optimizer);
  return optimizer;
}

function outcomes(datasets: readonly TaskDataset[], before: Evaluations, after: Evaluations | null): TaskOutcome[] {
  return datasets.map((dataset) => ({
    name: dataset.name,
    kind: dataset.head.kind,
    trainFeatures: dataset.train.length,
    heldOutFeatures: dataset.heldOut.length,
    ...(dataset.evaluation.kind === 'classification' ? { labels: dataset.evaluation.labels } : {}),
    untrained: before[dataset.name]!.metrics,
    trained: after ? after[dataset.name]!.metrics : null,
    samplePredictions: (after ?? before)[dataset.name]!.predictions.slice(0, 3),
  }));
}

export async function runTaskJob(given: TaskJobSpec, context: TaskJobContext = {}): Promise<TaskJobResult> {
  const resumed = await resumableCheckpoint(given);
  const spec = resumed ? resumedSpec(given, resumed) : given;
  const tokenizer = loadTokenizer(spec.tokenizerPath);
  const raw = await prepareTaskDatasets(spec, tokenizer);
  const { config, params, vocabulary } = resumed ? resumedModel(spec, resumed) : initialModel(spec, raw, tokenizer);
  const datasets = raw.map((dataset) => compactDataset(dataset, vocabulary));
  const runtimes = await taskRuntimes(spec, config, datasets);
  const detokenize = detokenizer(tokenizer, vocabulary);
  const evaluate = () => evaluateAll(spec, runtimes, params, vocabulary, detokenize);
  const before = await evaluate();
  const optimizer = optimizerFor(spec, resumed);
  const patience = resolvedPatience(spec);
  const stopping = patience > 0 ? new EarlyStopping(patience) : undefined;
  const watch: EpochWatch | undefined = stopping && { stopping, evaluate };
  const outcome = await train(spec, runtimes, params, optimizer, context, watch);
  const bestOptimizer = stopping && !outcome.cancelled ? stopping.restoreBest(params) : undefined;
  const after = outcome.cancelled ? null : (watch?.best ?? (await evaluate()));
  const save = spec.out !== undefined && !outcome.cancelled;
  if (save)
    saveTaskCheckpoint(spec.out!, {
      config,
      datasets,
      vocabulary,
      parameters: params,
      tokenizerPath: spec.tokenizerPath,
      seed: spec.seed,
      steps: outcome.updates,
      optimizer: spec.saveOptimizerState ? (bestOptimizer ?? optimizer.exportState()) : undefined,
    });
  return {
    tasks: outcomes(datasets, before, after),
    steps: outcome.updates,
    finalTrainLoss: outcome.losses.at(-1) ?? null,
    seconds: outcome.seconds,
    cancelled: outcome.cancelled,
    parameterCount: [...params.values()].reduce((n, v) => n + v.data.length, 0),
    // What a federated update of this model carries: with LoRA only the adapters, otherwise every tensor.
    exchangedParameters: [...(config.lora ? loraParameters(params) : params).keys()],
    checkpoint: save ? spec.out! : null,
    earlyStopping: stopping && !outcome.cancelled ? stopping.report(outcome.stoppedEarly) : null,
  };
}

/** Entry point for the worker thread (engine/runtime/training-worker.ts): a task run off the UI thread. */
export const runJob = runTaskJob;
