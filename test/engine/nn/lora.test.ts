import { describe, expect, it } from 'vitest';
import { isLoraTarget, loraParameters, mergeLora } from '../../../engine/nn/lora.ts';
import type { LoraConfig } from '../../../engine/nn/lora.ts';
import type { TaskModelConfig } from '../../../engine/nn/task-model.ts';
import { createTaskForward, createTaskStep, initializeTaskModel } from '../../../engine/nn/task-step.ts';
import { Sgd } from '../../../engine/optim/sgd.ts';

const trunk = { vocabSize: 12, maxSequenceLength: 6, dModel: 8, heads: 2, layers: 2, ffDim: 16 };
const lora: LoraConfig = { rank: 2, alpha: 8, targetModules: ['query', 'trunk.layers.*.mlp.up', 'heads.topic'] };
const adapted: TaskModelConfig = { trunk, heads: { topic: { kind: 'classification', classes: 3 } }, lora };
const base: TaskModelConfig = { trunk, heads: adapted.heads };
const [batch, seq] = [4, 6];
const feeds = {
  input_ids: { data: BigInt64Array.from({ length: batch * seq }, (_, i) => BigInt((i * 7) % 12)), shape: [batch, seq] },
  attention_mask: { data: new Float32Array(batch * seq).fill(1), shape: [batch, seq] },
  labels: { data: BigInt64Array.from([0n, 1n, 2n, 1n]), shape: [batch] },
};

describe('LoRA adapters', () => {
  it('targets layers by last name part, by dotted pattern and by wildcard', () => {
    expect(isLoraTarget(lora, 'trunk.layers.0.attention.query')).toBe(true);
    expect(isLoraTarget(lora, 'trunk.layers.1.mlp.up')).toBe(true);
    expect(isLoraTarget(lora, 'trunk.layers.1.mlp.down')).toBe(false);
    expect(isLoraTarget(lora, 'trunk.layers.0.attention.key')).toBe(false);
    expect(isLoraTarget(lora, 'heads.topic')).toBe(true);
  });

  it('training changes only the adapters; the base is bit-identical and only adapters are exchanged', async () => {
    const params = initializeTaskModel(adapted, 3);
    const before = new Map([...params].map(([name, value]) => [name, value.data.slice()]));
    const step = await createTaskStep(adapted, 'topic', batch, seq);
    const optimizer = new Sgd({});
    const losses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const { loss, gradients } = await step.run(params, feeds);
      losses.push(loss);
      expect([...gradients.keys()].every((name) => /\.lora_[ab]$/.test(name))).toBe(true);
      optimizer.step(params, gradients, 0.2);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    for (const [name, value] of params) {
      const unchanged = value.data.every((v, i) => v === before.get(name)![i]);
      expect(unchanged, name).toBe(!/\.lora_[ab]$/.test(name));
    }
    expect([...loraParameters(params).keys()].sort()).toEqual(
      [...params.keys()].filter((name) => name.includes('.lora_')).sort(),
    );
  });

  it('merging the adapters into the base gives the same logits without any adapter', async () => {
    const params = initializeTaskModel(adapted, 5);
    for (const [name, value] of params)
      if (name.endsWith('.lora_b')) value.data.forEach((_, i) => (value.data[i] = Math.sin(i + name.length) * 0.3));
    const merged = mergeLora(params, lora);
    expect([...merged.keys()].some((name) => name.includes('.lora_'))).toBe(false);
    const withAdapters = (await (await createTaskForward(adapted, 'topic', batch, seq)).run(params, feeds)).get(
      'logits',
    );
    const folded = (await (await createTaskForward(base, 'topic', batch, seq)).run(merged, feeds)).get('logits');
    const [a, b] = [withAdapters!.data as Float32Array, folded!.data as Float32Array];
    const plain = (
      await (
        await createTaskForward(base, 'topic', batch, seq)
      ).run(new Map([...params].filter(([n]) => !n.includes('.lora_'))), feeds)
    ).get('logits')!.data as Float32Array;
    expect(Math.max(...a.map((v, i) => Math.abs(v - plain[i]!)))).toBeGreaterThan(1e-3);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
  });
});
