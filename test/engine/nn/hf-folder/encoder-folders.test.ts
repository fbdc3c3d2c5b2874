import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../../../engine/nn/hf-folder/load-folder.ts';
import { tensor } from '../../../../engine/tensor/parameter-set.ts';
import type { Float32Tensor } from '../../../../engine/tensor/parameter-set.ts';
import { seededRandom } from '../../../support/seeded-random.ts';
import { writeModelFolder } from './model-folder-fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'accord-encoder-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const [vocab, positions, d, ff, layers] = [11, 8, 8, 12, 2];
const random = seededRandom(21);
const t = (...shape: number[]) =>
  tensor(
    shape,
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => Math.round(random() * 256 - 128) / 256),
  );

/** One random BERT encoder, in BERT's names (no token types, so that DistilBERT can hold the same model). */
function bertState(): Map<string, Float32Tensor> {
  const m = new Map<string, Float32Tensor>([
    ['embeddings.word_embeddings.weight', t(vocab, d)],
    ['embeddings.position_embeddings.weight', t(positions, d)],
    ['embeddings.LayerNorm.weight', t(d)],
    ['embeddings.LayerNorm.bias', t(d)],
  ]);
  for (let i = 0; i < layers; i += 1) {
    const p = `encoder.layer.${i}`;
    const linear = (name: string, inF: number, outF: number) =>
      m.set(`${p}.${name}.weight`, t(outF, inF)).set(`${p}.${name}.bias`, t(outF));
    for (const part of ['query', 'key', 'value']) linear(`attention.self.${part}`, d, d);
    linear('attention.output.dense', d, d);
    linear('intermediate.dense', d, ff);
    linear('output.dense', ff, d);
    for (const norm of ['attention.output.LayerNorm', 'output.LayerNorm'])
      m.set(`${p}.${norm}.weight`, t(d)).set(`${p}.${norm}.bias`, t(d));
  }
  return m;
}

const distilParts: Record<string, string> = {
  'attention.self.query': 'attention.q_lin',
  'attention.self.key': 'attention.k_lin',
  'attention.self.value': 'attention.v_lin',
  'attention.output.dense': 'attention.out_lin',
  'attention.output.LayerNorm': 'sa_layer_norm',
  'intermediate.dense': 'ffn.lin1',
  'output.dense': 'ffn.lin2',
  'output.LayerNorm': 'output_layer_norm',
};

function distilBertName(bert: string): string {
  const layer = /^encoder\.layer\.(\d+)\.(.*)\.(weight|bias)$/.exec(bert);
  if (!layer) return `distilbert.${bert}`;
  return `distilbert.transformer.layer.${layer[1]}.${distilParts[layer[2]!]}.${layer[3]}`;
}

describe('a GPT-2 model folder', () => {
  it('takes its heads and epsilon from config.json and splits the fused attention by columns', () => {
    const gpt2 = new Map<string, Float32Tensor>([
      ['wte.weight', t(vocab, d)],
      ['wpe.weight', t(positions, d)],
      ['ln_f.weight', t(d)],
      ['ln_f.bias', t(d)],
    ]);
    const p = 'h.0';
    for (const [name, shape] of [
      ['ln_1', [d]],
      ['ln_2', [d]],
      ['attn.c_attn', [d, 3 * d]],
      ['attn.c_proj', [d, d]],
      ['mlp.c_fc', [d, ff]],
      ['mlp.c_proj', [ff, d]],
    ] as [string, number[]][]) {
      gpt2.set(`${p}.${name}.weight`, name.startsWith('ln') ? t(d) : t(...shape));
      gpt2.set(`${p}.${name}.bias`, t(shape.at(-1)!));
    }
    const config = { model_type: 'gpt2', n_head: 4, layer_norm_epsilon: 1e-4, activation_function: 'gelu_new' };
    const imported = loadModelFolder(writeModelFolder(join(root, 'gpt2'), config, gpt2, { dtype: 'BF16' }));
    expect(imported.trunk).toMatchObject({ heads: 4, layers: 1, dModel: d, ffDim: ff, layerNormEpsilon: 1e-4 });
    const fused = gpt2.get('h.0.attn.c_attn.weight')!;
    const value = imported.parameters.get('trunk.layers.0.attention.value.weight')!;
    const bf16 = (x: number) =>
      new Float32Array(new Uint32Array([new Uint32Array(Float32Array.of(x).buffer)[0]! & 0xffff0000]).buffer)[0];
    expect(value.data[3 * d + 5]).toBe(bf16(fused.data[3 * 3 * d + 2 * d + 5]!));
  });
});

describe('encoder model folders: BERT, DistilBERT, RoBERTa', () => {
  const bert = bertState();
  const bertConfig = { model_type: 'bert', num_attention_heads: 2, layer_norm_eps: 1e-12, hidden_act: 'gelu' };
  const expected = loadModelFolder(writeModelFolder(join(root, 'bert'), bertConfig, bert, { dtype: 'F16' }));

  function expectSameModel(imported: ReturnType<typeof loadModelFolder>): void {
    expect(imported.trunk).toEqual(expected.trunk);
    expect([...imported.parameters.keys()].sort()).toEqual([...expected.parameters.keys()].sort());
    for (const [name, value] of expected.parameters) expect(imported.parameters.get(name)!.data).toEqual(value.data);
  }

  it('a DistilBERT folder imports as the same encoder in BERT names', () => {
    const distil = new Map([...bert].map(([name, value]) => [distilBertName(name), value]));
    const config = { model_type: 'distilbert', n_heads: 2, activation: 'gelu', dim: d, n_layers: layers };
    expectSameModel(loadModelFolder(writeModelFolder(join(root, 'distil'), config, distil, { dtype: 'F16' })));
  });

  it("a RoBERTa folder drops the position rows before padding_idx + 1, where RoBERTa's positions start", () => {
    const roberta = new Map([...bert].map(([name, value]) => [`roberta.${name}`, value]));
    const table = bert.get('embeddings.position_embeddings.weight')!;
    const shifted = new Float32Array((positions + 2) * d);
    shifted.set(t(2, d).data);
    shifted.set(table.data, 2 * d);
    roberta.set('roberta.embeddings.position_embeddings.weight', tensor([positions + 2, d], shifted));
    const config = { ...bertConfig, model_type: 'roberta', architectures: ['RobertaModel'], pad_token_id: 1 };
    expectSameModel(loadModelFolder(writeModelFolder(join(root, 'roberta'), config, roberta, { dtype: 'F16' })));
  });
});
