import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskForward } from '../../../engine/nn/task-step.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';
import { loadPretrained } from '../../../engine/train/pretrained-checkpoint.ts';
import { encodeSafetensors } from '../../../engine/codec/safetensors.ts';

const [vocab, positions, d, heads, ff, layers] = [13, 8, 8, 2, 16, 2];
const dir = mkdtempSync(join(tmpdir(), 'accord-gpt2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomTensors(): Map<string, Float32Tensor> {
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.8;
  const t = (...shape: number[]) => tensor(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b) }, random));
  const m = new Map<string, Float32Tensor>([
    ['transformer.wte.weight', t(vocab, d)],
    ['transformer.wpe.weight', t(positions, d)],
    ['transformer.ln_f.weight', t(d)],
    ['transformer.ln_f.bias', t(d)],
  ]);
  for (let i = 0; i < layers; i += 1) {
    const p = `transformer.h.${i}`;
    for (const ln of ['ln_1', 'ln_2']) m.set(`${p}.${ln}.weight`, t(d)).set(`${p}.${ln}.bias`, t(d));
    m.set(`${p}.attn.c_attn.weight`, t(d, 3 * d)).set(`${p}.attn.c_attn.bias`, t(3 * d));
    m.set(`${p}.attn.c_proj.weight`, t(d, d)).set(`${p}.attn.c_proj.bias`, t(d));
    m.set(`${p}.mlp.c_fc.weight`, t(d, ff)).set(`${p}.mlp.c_fc.bias`, t(ff));
    m.set(`${p}.mlp.c_proj.weight`, t(ff, d)).set(`${p}.mlp.c_proj.bias`, t(d));
  }
  return m;
}

/** GPT-2 forward written from the paper and Hugging Face's modeling_gpt2.py, in float64, one sequence. */
function referenceLogits(w: Map<string, Float32Tensor>, ids: number[]): number[][] {
  const get = (name: string) => Array.from(w.get(`transformer.${name}`)!.data);
  const matmul = (x: number[][], m: number[], cols: number, bias: number[]) =>
    x.map((row) => Array.from({ length: cols }, (_, j) => row.reduce((s, v, k) => s + v * m[k * cols + j]!, bias[j]!)));
  const norm = (x: number[][], g: number[], b: number[]) =>
    x.map((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      return row.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[j]! + b[j]!);
    });
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  const wte = get('wte.weight');
  const wpe = get('wpe.weight');
  let x = ids.map((id, t) => Array.from({ length: d }, (_, j) => wte[id * d + j]! + wpe[t * d + j]!));
  const dh = d / heads;
  for (let i = 0; i < layers; i += 1) {
    const p = `h.${i}`;
    const qkv = matmul(
      norm(x, get(`${p}.ln_1.weight`), get(`${p}.ln_1.bias`)),
      get(`${p}.attn.c_attn.weight`),
      3 * d,
      get(`${p}.attn.c_attn.bias`),
    );
    const context = x.map(() => new Array<number>(d).fill(0));
    for (let h = 0; h < heads; h += 1) {
      for (let q = 0; q < ids.length; q += 1) {
        const scores = Array.from({ length: q + 1 }, (_, k) => {
          let s = 0;
          for (let j = 0; j < dh; j += 1) s += qkv[q]![h * dh + j]! * qkv[k]![d + h * dh + j]!;
          return s / Math.sqrt(dh);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const total = e.reduce((a, b) => a + b, 0);
        for (let k = 0; k <= q; k += 1)
          for (let j = 0; j < dh; j += 1) context[q]![h * dh + j]! += (e[k]! / total) * qkv[k]![2 * d + h * dh + j]!;
      }
    }
    const attended = matmul(context, get(`${p}.attn.c_proj.weight`), d, get(`${p}.attn.c_proj.bias`));
    x = x.map((row, t) => row.map((v, j) => v + attended[t]![j]!));
    const up = matmul(
      norm(x, get(`${p}.ln_2.weight`), get(`${p}.ln_2.bias`)),
      get(`${p}.mlp.c_fc.weight`),
      ff,
      get(`${p}.mlp.c_fc.bias`),
    );
    const down = matmul(
      up.map((row) => row.map(gelu)),
      get(`${p}.mlp.c_proj.weight`),
      d,
      get(`${p}.mlp.c_proj.bias`),
    );
    x = x.map((row, t) => row.map((v, j) => v + down[t]![j]!));
  }
  const final = norm(x, get('ln_f.weight'), get('ln_f.bias'));
  return final.map((row) =>
    Array.from({ length: vocab }, (_, v) => row.reduce((s, h, j) => s + h * wte[v * d + j]!, 0)),
  );
}

describe('GPT-2 checkpoints in the Hugging Face layout', () => {
  it('imports a tiny random GPT-2 whose forward pass equals an independent float64 reference', async () => {
    const weights = randomTensors();
    const file = join(dir, 'model.safetensors');
    writeFileSync(file, encodeSafetensors(weights));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ n_head: heads, activation_function: 'gelu_new' }));
    const imported = loadPretrained(file, { lmHead: 'lm' });
    expect(imported.trunk).toMatchObject({
      vocabSize: vocab,
      dModel: d,
      layers,
      ffDim: ff,
      causal: true,
      gelu: 'tanh',
    });
    const seq = 6;
    const ids = [3, 0, 12, 7, 7, 1];
    const forward = await createTaskForward(
      { trunk: imported.trunk, heads: { lm: { kind: 'causal-lm' } } },
      'lm',
      1,
      seq,
    );
    const out = await forward.run(imported.parameters, {
      input_ids: { data: BigInt64Array.from(ids.map(BigInt)), shape: [1, seq] },
      attention_mask: { data: new Float32Array(seq).fill(1), shape: [1, seq] },
    });
    const logits = out.get('logits')!.data as Float32Array;
    const reference = referenceLogits(weights, ids);
    reference.forEach((row, t) => row.forEach((value, v) => expect(logits[t * vocab + v]).toBeCloseTo(value, 4)));
  });

  it('names the tensor and both shapes when a shape is wrong, and what is missing from an incomplete BERT', () => {
    const weights = randomTensors();
    weights.set('transformer.h.1.mlp.c_proj.weight', tensor([ff, d + 1]));
    writeFileSync(join(dir, 'bad.safetensors'), encodeSafetensors(weights));
    expect(() => loadPretrained(join(dir, 'bad.safetensors'), { heads })).toThrow(
      'tensor "h.1.mlp.c_proj.weight" has shape [16, 9], expected [16, 8]',
    );
    const bert = new Map([['bert.encoder.layer.0.attention.self.query.weight', tensor([4, 4])]]);
    writeFileSync(join(dir, 'bert.safetensors'), encodeSafetensors(bert));
    expect(() => loadPretrained(join(dir, 'bert.safetensors'), { heads })).toThrow(
      'BERT checkpoint without embeddings or encoder.layer.0',
    );
  });
});
