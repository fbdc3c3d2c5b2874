import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskForward } from '../../../engine/nn/task-step.ts';
import { tensor } from '../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor } from '../../../engine/tensor/parameter-set.ts';
import { loadPretrained } from '../../../engine/train/pretrained-checkpoint.ts';
import { encodeSafetensors } from '../../../engine/codec/safetensors.ts';

const [vocab, positions, d, heads, ff, layers] = [11, 8, 8, 2, 12, 2];
const dir = mkdtempSync(join(tmpdir(), 'accord-bert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomTensors(): Map<string, Float32Tensor> {
  let state = 777;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.8;
  const t = (...shape: number[]) => tensor(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b) }, random));
  const m = new Map<string, Float32Tensor>([
    ['bert.embeddings.word_embeddings.weight', t(vocab, d)],
    ['bert.embeddings.position_embeddings.weight', t(positions, d)],
    ['bert.embeddings.token_type_embeddings.weight', t(2, d)],
    ['bert.embeddings.LayerNorm.weight', t(d)],
    ['bert.embeddings.LayerNorm.bias', t(d)],
  ]);
  for (let i = 0; i < layers; i += 1) {
    const p = `bert.encoder.layer.${i}`;
    const linear = (name: string, inF: number, outF: number) =>
      m.set(`${p}.${name}.weight`, t(outF, inF)).set(`${p}.${name}.bias`, t(outF));
    for (const part of ['query', 'key', 'value']) linear(`attention.self.${part}`, d, d);
    linear('attention.output.dense', d, d);
    linear('intermediate.dense', d, ff);
    linear('output.dense', ff, d);
    for (const ln of ['attention.output.LayerNorm', 'output.LayerNorm'])
      m.set(`${p}.${ln}.weight`, t(d)).set(`${p}.${ln}.bias`, t(d));
  }
  return m;
}

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, far below the float32 comparison). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** BERT's encoder from modeling_bert.py, float64, one single-text sequence (token type 0 everywhere). */
function referenceHidden(w: Map<string, Float32Tensor>, ids: number[]): number[][] {
  const get = (name: string) => Array.from(w.get(`bert.${name}`)!.data);
  // nn.Linear: y = x·Wᵀ + b with W stored [out, in].
  const linear = (x: number[][], name: string, outF: number) => {
    const [W, b] = [get(`${name}.weight`), get(`${name}.bias`)];
    return x.map((row) =>
      Array.from({ length: outF }, (_, o) => row.reduce((s, v, k) => s + v * W[o * row.length + k]!, b[o]!)),
    );
  };
  const norm = (x: number[][], name: string) => {
    const [g, b] = [get(`${name}.weight`), get(`${name}.bias`)];
    return x.map((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      return row.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-12)) * g[j]! + b[j]!);
    });
  };
  const [word, pos, type] = [
    get('embeddings.word_embeddings.weight'),
    get('embeddings.position_embeddings.weight'),
    get('embeddings.token_type_embeddings.weight'),
  ];
  let x = norm(
    ids.map((id, t) => Array.from({ length: d }, (_, j) => word[id * d + j]! + pos[t * d + j]! + type[j]!)),
    'embeddings.LayerNorm',
  );
  const dh = d / heads;
  for (let i = 0; i < layers; i += 1) {
    const p = `encoder.layer.${i}`;
    const [q, k, v] = ['query', 'key', 'value'].map((part) => linear(x, `${p}.attention.self.${part}`, d)) as [
      number[][],
      number[][],
      number[][],
    ];
    const context = x.map(() => new Array<number>(d).fill(0));
    for (let h = 0; h < heads; h += 1)
      for (let a = 0; a < ids.length; a += 1) {
        const scores = ids.map(
          (_, b) =>
            q[a]!.slice(h * dh, (h + 1) * dh).reduce((s, qv, j) => s + qv * k[b]![h * dh + j]!, 0) / Math.sqrt(dh),
        );
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const total = e.reduce((s, y) => s + y, 0);
        ids.forEach((_, b) => {
          for (let j = 0; j < dh; j += 1) context[a]![h * dh + j]! += (e[b]! / total) * v[b]![h * dh + j]!;
        });
      }
    const attended = linear(context, `${p}.attention.output.dense`, d);
    x = norm(
      x.map((row, t) => row.map((y, j) => y + attended[t]![j]!)),
      `${p}.attention.output.LayerNorm`,
    );
    const up = linear(x, `${p}.intermediate.dense`, ff).map((row) =>
      row.map((y) => 0.5 * y * (1 + erf(y / Math.SQRT2))),
    );
    const down = linear(up, `${p}.output.dense`, d);
    x = norm(
      x.map((row, t) => row.map((y, j) => y + down[t]![j]!)),
      `${p}.output.LayerNorm`,
    );
  }
  return x;
}

describe('BERT checkpoints in the Hugging Face layout', () => {
  it('imports a tiny random BERT whose encoder output (through a span head) equals a float64 reference', async () => {
    const weights = randomTensors();
    const file = join(dir, 'model.safetensors');
    writeFileSync(file, encodeSafetensors(weights));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ num_attention_heads: heads, hidden_act: 'gelu', layer_norm_eps: 1e-12 }),
    );
    const imported = loadPretrained(file);
    expect(imported.trunk).toMatchObject({
      normPlacement: 'post',
      gelu: 'none',
      layers,
      ffDim: ff,
      layerNormEpsilon: 1e-12,
    });
    const head = tensor(
      [d, 2],
      Float32Array.from({ length: 2 * d }, (_, i) => Math.cos(i)),
    );
    const parameters = new Map([
      ...imported.parameters,
      ['heads.qa.weight', head],
      ['heads.qa.bias', tensor([2], [0.1, -0.2])],
    ]);
    const ids = [2, 9, 4, 4, 10, 0];
    const forward = await createTaskForward(
      { trunk: imported.trunk, heads: { qa: { kind: 'span' } } },
      'qa',
      1,
      ids.length,
    );
    const out = await forward.run(parameters, {
      input_ids: { data: BigInt64Array.from(ids.map(BigInt)), shape: [1, ids.length] },
      attention_mask: { data: new Float32Array(ids.length).fill(1), shape: [1, ids.length] },
    });
    const hidden = referenceHidden(weights, ids);
    const start = out.get('start_logits')!.data as Float32Array;
    const end = out.get('end_logits')!.data as Float32Array;
    hidden.forEach((row, t) => {
      expect(start[t]).toBeCloseTo(
        row.reduce((s, h, j) => s + h * head.data[j * 2]!, 0.1),
        4,
      );
      expect(end[t]).toBeCloseTo(
        row.reduce((s, h, j) => s + h * head.data[j * 2 + 1]!, -0.2),
        4,
      );
    });
  });

  it('names a tensor of the wrong shape with both shapes', () => {
    const weights = randomTensors();
    weights.set('bert.encoder.layer.1.intermediate.dense.weight', tensor([ff, d - 1]));
    writeFileSync(join(dir, 'bad.safetensors'), encodeSafetensors(weights));
    expect(() => loadPretrained(join(dir, 'bad.safetensors'))).toThrow(
      'tensor "encoder.layer.1.intermediate.dense.weight" has shape [12, 7], expected [12, 8]',
    );
  });
});
