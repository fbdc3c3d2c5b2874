/**
 * Central finite differences on every parameter of a task graph built in float64 (tanh GELU: exact GELU has
 * no double kernel). h = 1e-7: rounding stays ~1e-9 relative, and truncation (h²·f‴/6) stays small where the loss
 * is sharply curved: at one LoRA point the differences read -2893, -6.88, -2.365 and -2.33428 for h = 1e-3, 1e-4,
 * 1e-5 and 1e-7 against a backward -2.33428, so h = 1e-6 was still 1e-4 off there.
 */
import { expect } from 'vitest';
import { addGradientOutputs, collectGradients } from '../../../engine/nn/graph-step.ts';
import { buildTaskGraph } from '../../../engine/nn/task-model.ts';
import type { TaskModelConfig } from '../../../engine/nn/task-model.ts';
import { trainableFilter } from '../../../engine/nn/task-step.ts';
import { serializeGraph } from '../../../engine/graph/serialize.ts';
import { OnnxSession } from '../../../engine/runtime/session.ts';
import type { HostTensor } from '../../../engine/runtime/session.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';

export async function checkTaskGradients(
  config: TaskModelConfig,
  task: string,
  shape: { batch: number; seq: number },
  params: Map<string, Float32Tensor>,
  batch: Record<string, HostTensor>,
): Promise<Set<string>> {
  const built = buildTaskGraph(config, task, shape.batch, shape.seq, { dtype: 'float64' });
  const { rowOutputs, denseNames, trainableSpecs } = addGradientOutputs(
    built.scope,
    built.loss!,
    trainableFilter(config),
  );
  const session = await OnnxSession.create(serializeGraph(built.graph));
  const feeds: Record<string, HostTensor> = { ...batch };
  const mask = batch.attention_mask as HostTensor;
  feeds.attention_mask = { data: Float64Array.from(mask.data as Float32Array), shape: mask.shape };
  for (const record of built.scope.parameters) {
    const value = params.get(record.name) as Float32Tensor;
    feeds[record.name] = { data: Float64Array.from(value.data), shape: value.shape };
  }
  const out = await session.run(feeds);
  const analytic = collectGradients(out, trainableSpecs, rowOutputs, denseNames);
  const lossAt = async () => (await session.run(feeds, ['loss'])).get('loss')?.data[0] as number;
  const h = 1e-7;
  for (const spec of trainableSpecs) {
    const data = feeds[spec.name]?.data as Float64Array;
    const gradient = analytic.get(spec.name) as Float32Array;
    for (let i = 0; i < data.length; i += 1) {
      const original = data[i] as number;
      data[i] = original + h;
      const plus = await lossAt();
      data[i] = original - h;
      const minus = await lossAt();
      data[i] = original;
      const numeric = (plus - minus) / (2 * h);
      // Gradients come back as float32 (collectGradients), so compare at float32 precision.
      if (Math.abs((gradient[i] as number) - numeric) > 1e-6 + 1e-4 * Math.abs(numeric))
        expect.fail(`∂L/∂${spec.name}[${i}]: backward ${gradient[i]}, finite differences ${numeric}`);
    }
  }
  await session.release();
  return new Set(trainableSpecs.map((spec) => spec.name));
}
