import { describe, expect, it } from 'vitest';
import { buildTaskGraph } from '../../../engine/nn/task-model.ts';
import type { TaskModelConfig } from '../../../engine/nn/task-model.ts';
import { initializeTaskModel } from '../../../engine/nn/task-step.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';
import { checkTaskGradients } from './task-gradient-check.ts';

const trunk = { vocabSize: 9, maxSequenceLength: 5, dModel: 8, heads: 2, layers: 1, ffDim: 12, gelu: 'tanh' as const };
const [batch, seq] = [2, 4];
const ids = { data: BigInt64Array.from([1, 4, 7, 2, 3, 8, 0, 0].map(BigInt)), shape: [batch, seq] };
const mask = { data: Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]), shape: [batch, seq] };

/** Larger-than-init values so every gradient is well above finite-difference noise. */
function scaled(params: Map<string, Float32Tensor>): Map<string, Float32Tensor> {
  for (const value of params.values()) value.data.forEach((v, i) => (value.data[i] = v * 20 + (i % 3) * 0.05));
  return params;
}

describe('task model graphs', () => {
  it('span head: gradients of every parameter match finite differences', async () => {
    const config: TaskModelConfig = { trunk, heads: { qa: { kind: 'span' } } };
    const params = scaled(initializeTaskModel(config, 3));
    const checked = await checkTaskGradients(config, 'qa', { batch, seq }, params, {
      input_ids: ids,
      attention_mask: mask,
      start_positions: { data: BigInt64Array.from([2n, 0n]), shape: [batch] },
      end_positions: { data: BigInt64Array.from([3n, 0n]), shape: [batch] },
    });
    expect(checked.has('heads.qa.weight')).toBe(true);
  });

  it('post-LN trunk (BERT form): gradients of every parameter match finite differences', async () => {
    const config: TaskModelConfig = { trunk: { ...trunk, normPlacement: 'post' }, heads: { qa: { kind: 'span' } } };
    const params = scaled(initializeTaskModel(config, 6));
    const checked = await checkTaskGradients(config, 'qa', { batch, seq }, params, {
      input_ids: ids,
      attention_mask: mask,
      start_positions: { data: BigInt64Array.from([1n, 2n]), shape: [batch] },
      end_positions: { data: BigInt64Array.from([3n, 2n]), shape: [batch] },
    });
    expect(checked.has('trunk.embedding_norm.weight')).toBe(true);
    expect(checked.has('trunk.final_norm.weight')).toBe(false);
  });

  it('causal-LM head: gradients match finite differences, and ignored labels carry no loss', async () => {
    const config: TaskModelConfig = { trunk: { ...trunk, causal: true }, heads: { summary: { kind: 'causal-lm' } } };
    const params = scaled(initializeTaskModel(config, 4));
    const checked = await checkTaskGradients(config, 'summary', { batch, seq }, params, {
      input_ids: ids,
      attention_mask: mask,
      labels: { data: BigInt64Array.from([-100, -100, 2, 5, -100, 6, -100, -100].map(BigInt)), shape: [batch * seq] },
    });
    expect(checked.has('heads.summary.weight')).toBe(true);
  });

  it('LoRA: only adapters get gradients, and those match finite differences', async () => {
    const config: TaskModelConfig = {
      trunk,
      heads: { topic: { kind: 'classification', classes: 3 } },
      lora: { rank: 2, alpha: 4, targetModules: ['query', 'value', 'heads.topic'] },
    };
    const params = scaled(initializeTaskModel(config, 5));
    const checked = await checkTaskGradients(config, 'topic', { batch, seq }, params, {
      input_ids: ids,
      attention_mask: mask,
      labels: { data: BigInt64Array.from([2n, 1n]), shape: [batch] },
    });
    expect([...checked].sort()).toEqual(
      [
        'heads.topic.lora_a',
        'heads.topic.lora_b',
        'trunk.layers.0.attention.query.lora_a',
        'trunk.layers.0.attention.query.lora_b',
        'trunk.layers.0.attention.value.lora_a',
        'trunk.layers.0.attention.value.lora_b',
      ].sort(),
    );
  });

  it('a multi-task model shares the trunk and keeps one head per task', () => {
    const config: TaskModelConfig = {
      trunk: { ...trunk, causal: true },
      heads: { topic: { kind: 'classification', classes: 2 }, summary: { kind: 'causal-lm' } },
    };
    const names = [...initializeTaskModel(config, 1).keys()];
    const topic = buildTaskGraph(config, 'topic', 1, 2).scope.parameters.map((p) => p.name);
    const summary = buildTaskGraph(config, 'summary', 1, 2).scope.parameters.map((p) => p.name);
    expect(topic.filter((name) => !name.startsWith('heads.'))).toEqual(
      summary.filter((name) => !name.startsWith('heads.')),
    );
    expect(names.filter((name) => name.startsWith('heads.')).sort()).toEqual(
      ['heads.summary.bias', 'heads.summary.weight', 'heads.topic.bias', 'heads.topic.weight'].sort(),
    );
    expect(() => buildTaskGraph({ trunk, heads: { s: { kind: 'causal-lm' } } }, 's', 1, 2)).toThrow(/causal trunk/);
  });
});
