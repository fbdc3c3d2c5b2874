import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFolder } from '../../../../engine/nn/hf-folder/load-folder.ts';
import type { Float32Tensor } from '../../../../engine/tensor/parameter-set.ts';
import { loadPretrained } from '../../../../engine/train/pretrained-checkpoint.ts';
import { llamaStateDict, tinyLlamaConfig, writeModelFolder } from './model-folder-fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'accord-hf-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = () => join(root, `model-${(folders += 1)}`);

/** ours [in, out] is theirs [out, in] transposed. */
function expectTransposeOf(ours: Float32Tensor, theirs: Float32Tensor): void {
  const [rows, cols] = theirs.shape as [number, number];
  expect(ours.shape).toEqual([cols, rows]);
  for (let r = 0; r < rows; r += 1)
    for (let c = 0; c < cols; c += 1) expect(ours.data[c * rows + r]).toBe(theirs.data[r * cols + c]);
}

describe('Hugging Face model folders', () => {
  const state = llamaStateDict(tinyLlamaConfig);

  it('imports a Llama folder: the trunk from config.json, every projection transposed onto ours', () => {
    const imported = loadModelFolder(writeModelFolder(folder(), tinyLlamaConfig, state));
    expect(imported.trunk).toMatchObject({ architecture: 'llama', dModel: 32, heads: 4, kvHeads: 2, layers: 2 });
    expect(imported.trunk).toMatchObject({ ffDim: 48, ropeTheta: 10000, layerNormEpsilon: 1e-5, causal: true });
    const p = 'model.layers.1';
    expectTransposeOf(
      imported.parameters.get('trunk.layers.1.attention.key.weight')!,
      state.get(`${p}.self_attn.k_proj.weight`)!,
    );
    expectTransposeOf(
      imported.parameters.get('trunk.layers.1.mlp.down.weight')!,
      state.get(`${p}.mlp.down_proj.weight`)!,
    );
    expectTransposeOf(imported.lmHead!, state.get('lm_head.weight')!);
    expect(imported.parameters.get('trunk.final_norm.weight')!.data).toEqual(state.get('model.norm.weight')!.data);
    // 9 tensors per layer, the embedding and the final norm; the LM head is returned apart.
    expect(imported.parameters.size).toBe(2 * 9 + 2);
  });

  it('F16 and BF16 weights, sharded with an index, load as the same float32 model', () => {
    const reference = loadModelFolder(writeModelFolder(folder(), tinyLlamaConfig, state));
    for (const dtype of ['F16', 'BF16'] as const) {
      const imported = loadModelFolder(writeModelFolder(folder(), tinyLlamaConfig, state, { dtype, shards: 3 }));
      expect([...imported.parameters.keys()].sort()).toEqual([...reference.parameters.keys()].sort());
      for (const [name, value] of reference.parameters) expect(imported.parameters.get(name)!.data).toEqual(value.data);
    }
  });

  it('Qwen2 brings q, k and v biases; tied embeddings bring no separate LM head', () => {
    const qwen = {
      ...tinyLlamaConfig,
      model_type: 'qwen2',
      architectures: ['Qwen2ForCausalLM'],
      tie_word_embeddings: true,
    };
    const imported = loadModelFolder(writeModelFolder(folder(), qwen, llamaStateDict(qwen)));
    expect(imported.trunk.attentionBias).toBe(true);
    expect(imported.parameters.has('trunk.layers.0.attention.value.bias')).toBe(true);
    expect(imported.parameters.has('trunk.layers.0.attention.output.bias')).toBe(false);
    expect(imported.lmHead).toBeUndefined();
  });

  it('refuses an unknown architecture, naming its model_type', () => {
    const dir = writeModelFolder(
      folder(),
      { ...tinyLlamaConfig, model_type: 'mamba', architectures: ['MambaForCausalLM'] },
      state,
    );
    expect(() => loadModelFolder(dir)).toThrow(/model_type "mamba" is not supported/);
  });

  it('refuses a tensor whose shape disagrees with the config, naming it and both shapes', () => {
    const wrong = new Map(state).set('model.layers.0.self_attn.k_proj.weight', {
      shape: [32, 32],
      data: new Float32Array(1024),
    });
    expect(() => loadModelFolder(writeModelFolder(folder(), tinyLlamaConfig, wrong))).toThrow(
      /tensor "model\.layers\.0\.self_attn\.k_proj\.weight" has shape \[32, 32\], the config expects \[16, 32\]/,
    );
  });

  it('refuses a missing shard, naming the file, and a missing tensor, naming it', () => {
    const dir = writeModelFolder(folder(), tinyLlamaConfig, state, { shards: 2 });
    unlinkSync(join(dir, 'model-00002-of-00002.safetensors'));
    expect(() => loadModelFolder(dir)).toThrow(/shard model-00002-of-00002\.safetensors is missing/);
    const partial = new Map(state);
    partial.delete('model.layers.1.mlp.up_proj.weight');
    expect(() => loadModelFolder(writeModelFolder(folder(), tinyLlamaConfig, partial))).toThrow(
      /tensor "model\.layers\.1\.mlp\.up_proj\.weight" is missing/,
    );
  });

  it('refuses a folder without config.json or weights, and rope scaling it cannot reproduce', () => {
    const dir = writeModelFolder(folder(), tinyLlamaConfig, state);
    unlinkSync(join(dir, 'model.safetensors'));
    expect(() => loadModelFolder(dir)).toThrow(/no model\.safetensors nor model\.safetensors\.index\.json/);
    unlinkSync(join(dir, 'config.json'));
    expect(() => loadModelFolder(dir)).toThrow(/no config\.json/);
    const scaled = { ...tinyLlamaConfig, rope_scaling: { rope_type: 'llama3', factor: 8 } };
    expect(() => loadModelFolder(writeModelFolder(folder(), scaled, state))).toThrow(
      /rope_scaling .* is not supported/,
    );
  });

  it('a single safetensors file with a Llama config.json beside it imports as the folder does', () => {
    const dir = writeModelFolder(folder(), tinyLlamaConfig, state, { dtype: 'BF16' });
    const fromFile = loadPretrained(join(dir, 'model.safetensors'));
    const fromFolder = loadPretrained(dir);
    for (const [name, value] of fromFolder.parameters) expect(fromFile.parameters.get(name)!.data).toEqual(value.data);
    writeFileSync(join(dir, 'model.safetensors'), 'not safetensors');
    expect(() => loadPretrained(dir)).toThrow(/model\.safetensors/);
  });
});
